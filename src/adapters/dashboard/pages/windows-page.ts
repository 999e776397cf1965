import { windowStatus } from "../../../core/policies/window-status.js";
import { formatInZone } from "../../../core/time/zoned-time.js";
import { calendarDays, type CalendarDay } from "../calendar-model.js";
import { moment } from "../format.js";
import { html, type SafeHtml } from "../html.js";
import type { DashboardPage } from "../page.js";

const scope = (list: readonly string[], all: string): string => (list.length ? list.join(", ") : all);

/** The critical windows: which are open, and the next 14 days as a calendar in the configuration's zone. */
export const windowsPage: DashboardPage = {
  path: "/windows",
  nav: { label: "Windows" },
  async render(context) {
    const { config, clock } = context.deps;
    const now = clock.now();
    const tz = config.timezone;
    const statuses = windowStatus(config, now);
    const days = calendarDays(config, now);
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
        <h2>The next 14 days</h2>
        <div class="calendar">${days.map((day) => dayBlock(day, tz))}</div>
      </div>`,
    };
  },
};

function dayBlock(day: CalendarDay, tz: string): SafeHtml {
  const length = day.end.getTime() - day.start.getTime();
  const label = formatInZone(day.start, tz).split(" ").slice(0, 3).join(" ");
  const percent = (at: number) => `${(Math.min(Math.max(at - day.start.getTime(), 0), length) / length) * 100}%`;
  const change = day.offsetChange;
  return html`<section class="day" data-date="${day.date}" data-hours="${day.hours}" aria-labelledby="day-${day.date}">
    <h2 id="day-${day.date}">${label} <span class="meta">${day.date}</span>${change ? html` <span class="dst">· ${day.hours} hours: clocks go ${change.to < change.from ? "back" : "forward"} one hour</span>` : ""}</h2>
    <div class="day-bar" aria-hidden="true">${day.occurrences.map(({ window, interval }) => {
      const left = percent(interval.start.getTime());
      const width = `calc(${percent(interval.end.getTime())} - ${left})`;
      return html`<span class="${window.kind}" style="left: ${left}; width: ${width}" title="${window.name}"></span>`;
    })}</div>
    ${day.occurrences.length
      ? html`<ul>${day.occurrences.map(
          ({ window, interval }) => html`<li data-window="${window.name}">${window.kind === "deny" ? "⛔" : "✅"} <strong>${window.name}</strong>:
            <time datetime="${interval.start.toISOString()}">${formatInZone(interval.start, tz)}</time> → <time datetime="${interval.end.toISOString()}">${formatInZone(interval.end, tz)}</time>
            <span class="meta">${scope(window.environments, "all environments")}</span></li>`,
        )}</ul>`
      : html`<p class="muted">No windows.</p>`}
  </section>`;
}
