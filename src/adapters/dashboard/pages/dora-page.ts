import { parseDoraQuery, type DoraQuery } from "../../../core/metrics/dora-query.js";
import { doraReportsFor, type DoraReport } from "../../../core/metrics/dora-report.js";
import type { DoraMetrics } from "../../../core/metrics/dora-metrics.js";
import { DORA_WINDOWS } from "../../../core/model/dora.js";
import { duration, moment } from "../format.js";
import { html, type SafeHtml } from "../html.js";
import type { DashboardPage, PageContext } from "../page.js";
import { svgChart, type ChartPoint } from "../svg-chart.js";
import { DORA_DEFINITIONS } from "./dora-definitions.js";

/** "0.71/day", "28.6%", "5h 0m", or "—" where there was nothing to measure. */
export const formatDora = {
  frequency: (perDay: number): string => `${perDay.toFixed(2)}/day`,
  rate: (rate: number | null): string => (rate === null ? "—" : `${(rate * 100).toFixed(1)}%`),
  seconds: (seconds: number | null): string => (seconds === null ? "—" : duration(seconds * 1000)),
};

/**
 * DORA metrics per service and environment over 7, 30 or 90 days: the scope's four metrics for
 * each window, a chart of each with its trend, a row per target, and the definitions.
 */
export const doraPage: DashboardPage = {
  path: "/dora",
  nav: { label: "DORA" },
  async render(context) {
    const { config, store, clock } = context.deps;
    const params = context.url.searchParams;
    const parsed = parseDoraQuery(config, { service: params.get("service") ?? "", env: params.get("env") ?? "", days: params.get("days") ?? "" });
    if (!parsed.ok) {
      return { title: "DORA metrics", status: 400, body: html`${filterForm(context, { days: 30 })}<p class="flash flash-refused" role="alert">${parsed.message}</p>` };
    }
    const { report, windows } = await doraReportsFor({ store, config, clock }).view(parsed.query);
    const timezone = config.timezone;
    return {
      title: "DORA metrics",
      body: html`${filterForm(context, parsed.query)}
        <h2>${scopeName(parsed.query)}</h2>
        <p class="muted">As of ${moment(report.to, timezone, clock.now())}; the metrics are read again when they are a minute old.</p>
        <table class="list dora-summary" data-scope="${parsed.query.service ?? "all"}/${parsed.query.env ?? "all"}">
          <thead><tr><th scope="col">Metric</th>${windows.map((w) => html`<th scope="col">${w.days} days</th>`)}</tr></thead>
          <tbody>
            ${summaryRow("Deployment frequency", "deployment-frequency", windows, (m) => html`${formatDora.frequency(m.deploymentFrequency.perDay)} <span class="meta">(${m.deploymentFrequency.deploys})</span>`)}
            ${summaryRow("Lead time, median", "lead-time-median", windows, (m) => html`${formatDora.seconds(m.leadTime.medianSeconds)} <span class="meta">(${m.leadTime.changes} PRs)</span>`)}
            ${summaryRow("Lead time, p90", "lead-time-p90", windows, (m) => formatDora.seconds(m.leadTime.p90Seconds))}
            ${summaryRow("Change failure rate", "change-failure-rate", windows, (m) => html`${formatDora.rate(m.changeFailureRate.rate)} <span class="meta">(${m.changeFailureRate.failures}/${m.changeFailureRate.deploys})</span>`)}
            ${summaryRow("Time to restore, median", "time-to-restore", windows, (m) => html`${formatDora.seconds(m.timeToRestore.medianSeconds)} <span class="meta">(${m.timeToRestore.restored} restored${m.timeToRestore.unrestored ? `, ${m.timeToRestore.unrestored} open` : ""})</span>`)}
          </tbody>
        </table>
        <h2>Last ${report.days} days, by ${report.bucketDays === 1 ? "day" : "week"}</h2>
        <div class="dora-charts">${charts(report, timezone)}</div>
        <h2>By service and environment, last ${report.days} days</h2>
        ${targetTable(report)}
        <h2 id="definitions">How these are measured</h2>
        ${DORA_DEFINITIONS}`,
    };
  },
};

function summaryRow(label: string, key: string, windows: ReadonlyArray<{ days: number; metrics: DoraMetrics }>, cell: (m: DoraMetrics) => SafeHtml | string): SafeHtml {
  return html`<tr data-metric="${key}"><th scope="row">${label}</th>${windows.map((w) => html`<td data-window="${w.days}">${cell(w.metrics)}</td>`)}</tr>`;
}

function scopeName(query: DoraQuery): string {
  if (query.service && query.env) return `${query.service} in ${query.env}`;
  if (query.service) return `${query.service}, every environment`;
  if (query.env) return `Every service in ${query.env}`;
  return "Every service and environment";
}

function charts(report: DoraReport, timezone: string): SafeHtml {
  const day = new Intl.DateTimeFormat("en-US", { timeZone: timezone, month: "short", day: "numeric" });
  const label = (iso: string) => day.format(new Date(iso));
  const series = (value: (m: DoraMetrics) => number | null): ChartPoint[] => report.series.map((b) => ({ label: label(b.from), value: value(b.metrics) }));
  const hours = (s: number | null) => (s === null ? null : s / 3600);
  const days = report.bucketDays;
  return html`
    <figure>${svgChart({ title: "Deployment frequency (succeeded deploys per day)", kind: "bars", points: series((m) => m.deploymentFrequency.deploys / days), format: (v) => v.toFixed(1) })}<figcaption>Deployment frequency</figcaption></figure>
    <figure>${svgChart({ title: "Lead time for changes, median (hours)", kind: "line", points: series((m) => hours(m.leadTime.medianSeconds)), format: (v) => `${v.toFixed(1)}h` })}<figcaption>Lead time, median</figcaption></figure>
    <figure>${svgChart({ title: "Change failure rate (%)", kind: "bars", points: series((m) => (m.changeFailureRate.rate === null ? null : m.changeFailureRate.rate * 100)), format: (v) => `${v.toFixed(0)}%` })}<figcaption>Change failure rate</figcaption></figure>
    <figure>${svgChart({ title: "Time to restore, median (hours)", kind: "line", points: series((m) => hours(m.timeToRestore.medianSeconds)), format: (v) => `${v.toFixed(1)}h` })}<figcaption>Time to restore, median</figcaption></figure>
    <p class="muted">Dashed red lines are least-squares trends over the buckets that have a value.</p>`;
}

function targetTable(report: DoraReport): SafeHtml {
  if (report.targets.length === 0) return html`<p>No service deploys to this environment.</p>`;
  return html`<div class="board-wrap"><table class="list dora-targets">
    <thead><tr><th scope="col">Service</th><th scope="col">Env</th><th scope="col">Deploys/day</th><th scope="col">Lead time (median / p90)</th><th scope="col">Change failure rate</th><th scope="col">Time to restore</th></tr></thead>
    <tbody>${report.targets.map(
      (t) => html`<tr data-target="${t.service}/${t.env}">
        <td data-label="Service"><a href="/dora?service=${t.service}&amp;env=${t.env}&amp;days=${report.days}">${t.service}</a></td>
        <td data-label="Env">${t.env}</td>
        <td data-label="Deploys/day">${formatDora.frequency(t.metrics.deploymentFrequency.perDay)}</td>
        <td data-label="Lead time">${formatDora.seconds(t.metrics.leadTime.medianSeconds)} / ${formatDora.seconds(t.metrics.leadTime.p90Seconds)}</td>
        <td data-label="Change failure rate">${formatDora.rate(t.metrics.changeFailureRate.rate)}</td>
        <td data-label="Time to restore">${formatDora.seconds(t.metrics.timeToRestore.medianSeconds)}</td>
      </tr>`,
    )}</tbody></table></div>`;
}

function filterForm(context: PageContext, query: Partial<DoraQuery>): SafeHtml {
  const { config } = context.deps;
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ""}>${label}</option>`;
  return html`<form class="filters" method="get" action="/dora">
    <label>Service <select name="service">${option("", "every service", !query.service)}${Object.keys(config.services).map((s) => option(s, s, s === query.service))}</select></label>
    <label>Environment <select name="env">${option("", "every environment", !query.env)}${Object.keys(config.environments).map((e) => option(e, e, e === query.env))}</select></label>
    <label>Period <select name="days">${DORA_WINDOWS.map((d) => option(String(d), `${d} days`, d === query.days))}</select></label>
    <button type="submit">Show</button>
  </form>`;
}
