import { windowStatus } from "../../../core/policies/window-status.js";
import { formatInZone } from "../../../core/time/zoned-time.js";
import { calendarDays, calendarRows, type CalendarDay } from "../calendar-model.js";
import { moment } from "../format.js";
import { html, type SafeHtml } from "../html.js";
import type { DashboardPage } from "../page.js";

const scope = (list: readonly string[], all: string): string => (list.length ? list.join(", ") : all);
/** "Tue Oct 27" in the configuration's zone. */
const dayLabel = (day: CalendarDay, tz: string): string => formatInZone(day.start, tz).split(" ").slice(0, 3).join(" ");
/** "25 hours: clocks go back one hour" for the day a DST change falls on. */
const clockChange = (day: CalendarDay, change: NonNullable<CalendarDay["offsetChange"]>): string =>
  `${day.hours} hours: clocks go ${change.to < change.from ? "back" : "forward"} one hour`;

/**
 * The critical windows: which are open, and the next 14 days as a calendar in the configuration's
 * zone. Days with windows get a block each; each run of days without one is a single line.
 */
export const windowsPage: DashboardPage = {
  path: "/windows",
  nav: { label: "Windows" },
  async render(context) {
    const { config, clock } = context.deps;
    const now = clock.now();
    const tz = config.timezone;
    const statuses = windowStatus(config, now);
    const days = calendarDays(config, now);
    const rows = calendarRows(days);
    return {
      title: "Windows",
      body: html`<div id="live" data-live>
        <p class="muted">Times are in ${tz} (whistlestop.yml's <code>timezone</code>); your own zone, <span data-viewer-zone>as your browser says</span>, is shown beside them when it differs.</p>
        ${statuses.length
          ? html`<table class="list"><thead><tr><th scope="col">Window</th><th scope="col">Kind</th><th scope="col">Covers</th><th scope="col">Now</th><th scope="col">Reason</th></tr></thead><tbody>
              ${statuses.map(
                (w) => html`<tr><td data-label="Window"><strong>${w.name}</strong></td><td data-label="Kind">${w.kind}${w.allowRollback ? "" : " (rollbacks too)"}</td>
                  <td data-label="Covers">${scope(w.services, "all services")} in ${scope(w.environments, "all environments")}</td>
                  <td data-label="Now">${w.open ? html`<strong>open</strong> until ${moment(w.end, tz, now)}` : w.start ? html`next ${moment(w.start, tz, now)} → ${moment(w.end, tz, now)}` : "never opens again"}</td>
                  <td data-label="Reason">${w.reason ?? ""}</td></tr>`,
              )}</tbody></table>`
          : html`<p>No critical windows are configured.</p>`}
        <h2>The next ${days.length} days</h2>
        ${rows.some((row) => row.kind === "day")
          ? html`<div class="calendar">${rows.map((row) => (row.kind === "day" ? dayBlock(row.day, tz) : quietDays(row.days, tz)))}</div>`
          : html`<p class="muted" data-no-windows>No windows in the next ${days.length} days.</p>`}
      </div>`,
    };
  },
};

function dayBlock(day: CalendarDay, tz: string): SafeHtml {
  const length = day.end.getTime() - day.start.getTime();
  const percent = (at: number) => `${(Math.min(Math.max(at - day.start.getTime(), 0), length) / length) * 100}%`;
  const change = day.offsetChange;
  return html`<section class="day" data-date="${day.date}" data-hours="${day.hours}" aria-labelledby="day-${day.date}">
    <h2 id="day-${day.date}">${dayLabel(day, tz)} <span class="meta">${day.date}</span>${change ? html` <span class="dst">· ${clockChange(day, change)}</span>` : ""}</h2>
    <div class="day-bar" aria-hidden="true">${day.occurrences.map(({ window, interval }) => {
      const left = percent(interval.start.getTime());
      const width = `calc(${percent(interval.end.getTime())} - ${left})`;
      return html`<span class="${window.kind}" style="left: ${left}; width: ${width}" title="${window.name}"></span>`;
    })}</div>
    <ul>${day.occurrences.map(
      ({ window, interval }) => html`<li data-window="${window.name}">${window.kind === "deny" ? "⛔" : "✅"} <strong>${window.name}</strong>:
        <time datetime="${interval.start.toISOString()}">${formatInZone(interval.start, tz)}</time> → <time datetime="${interval.end.toISOString()}">${formatInZone(interval.end, tz)}</time>
        <span class="meta">${scope(window.environments, "all environments")}</span></li>`,
    )}</ul>
  </section>`;
}

/** One line for consecutive days without a window ("No windows from Tue Oct 27 to Thu Oct 29."), with any clock change among them. */
function quietDays(days: readonly CalendarDay[], tz: string): SafeHtml {
  const first = days[0]!;
  const last = days.at(-1)!;
  const when = days.length === 1 ? `on ${dayLabel(first, tz)}` : `from ${dayLabel(first, tz)} to ${dayLabel(last, tz)}`;
  const changes = days.flatMap((day) => (day.offsetChange ? [html` <span class="dst">${dayLabel(day, tz)} has ${clockChange(day, day.offsetChange)}.</span>`] : []));
  return html`<p class="quiet-days muted" data-from="${first.date}" data-to="${last.date}">No windows ${when}.${changes}</p>`;
}
