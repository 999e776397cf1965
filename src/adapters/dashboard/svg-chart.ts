import { html, type SafeHtml } from "./html.js";

/** One bucket of a chart: a label for its start and a value, or null where nothing was measured. */
export interface ChartPoint {
  readonly label: string;
  readonly value: number | null;
}

export interface ChartInput {
  readonly title: string;
  /** Bars for counts and rates per bucket, a line for medians. */
  readonly kind: "bars" | "line";
  readonly points: readonly ChartPoint[];
  /** How a value reads on the axis and in the tooltips. */
  readonly format: (value: number) => string;
}

const WIDTH = 480;
const HEIGHT = 180;
const PAD = { left: 56, right: 12, top: 14, bottom: 28 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;
const INK = "#1f2937";
const MUTED = "#9ca3af";
const FILL = "#2563eb";
const TREND = "#dc2626";

/**
 * The least-squares line through the measured points (x = bucket index), or undefined with
 * fewer than two: the direction a metric is moving, drawn over the chart.
 */
export function trendLine(values: readonly (number | null)[]): { readonly slope: number; readonly intercept: number } | undefined {
  const points = values.flatMap((v, x) => (v === null ? [] : [{ x, y: v }]));
  if (points.length < 2) return undefined;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
  return { slope, intercept: my - slope * mx };
}

const r = (n: number): string => n.toFixed(1);

/**
 * A small chart as inline SVG, drawn on the server (no script, no library): bars or a line per
 * bucket, a dashed trend line, the scale's top and zero, the first and last bucket's labels.
 * Each bucket's value is in its <title> (a tooltip, and text for screen readers).
 */
export function svgChart(input: ChartInput): SafeHtml {
  const { points } = input;
  const values = points.map((p) => p.value);
  const max = Math.max(0, ...values.filter((v): v is number => v !== null));
  const top = max > 0 ? max * 1.1 : 1;
  const step = points.length ? PLOT_W / points.length : PLOT_W;
  const x = (i: number) => PAD.left + step * (i + 0.5);
  const y = (v: number) => PAD.top + PLOT_H - (Math.max(0, v) / top) * PLOT_H;
  const marks =
    input.kind === "bars"
      ? points.map((p, i) =>
          p.value === null
            ? ""
            : html`<rect x="${r(x(i) - step * 0.35)}" y="${r(y(p.value))}" width="${r(step * 0.7)}" height="${r(PAD.top + PLOT_H - y(p.value))}" fill="${FILL}"><title>${p.label}: ${input.format(p.value)}</title></rect>`,
        )
      : html`<polyline fill="none" stroke="${FILL}" stroke-width="2" points="${points.flatMap((p, i) => (p.value === null ? [] : [`${r(x(i))},${r(y(p.value))}`])).join(" ")}"></polyline>
        ${points.map((p, i) => (p.value === null ? "" : html`<circle cx="${r(x(i))}" cy="${r(y(p.value))}" r="3" fill="${FILL}"><title>${p.label}: ${input.format(p.value)}</title></circle>`))}`;
  const trend = trendLine(values);
  const trendMark = trend
    ? html`<line class="trend" x1="${r(x(0))}" y1="${r(y(trend.intercept))}" x2="${r(x(points.length - 1))}" y2="${r(y(trend.intercept + trend.slope * (points.length - 1)))}" stroke="${TREND}" stroke-width="1.5" stroke-dasharray="5 4"><title>Trend: ${trend.slope >= 0 ? "rising" : "falling"} by ${input.format(Math.abs(trend.slope))} per bucket</title></line>`
    : "";
  const measured = values.filter((v) => v !== null).length;
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-label="${input.title}: ${measured} of ${points.length} buckets measured" xmlns="http://www.w3.org/2000/svg">
    <title>${input.title}</title>
    <line x1="${PAD.left}" y1="${PAD.top + PLOT_H}" x2="${WIDTH - PAD.right}" y2="${PAD.top + PLOT_H}" stroke="${MUTED}"></line>
    <line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + PLOT_H}" stroke="${MUTED}"></line>
    <text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end" font-size="11" fill="${INK}">${input.format(max)}</text>
    <text x="${PAD.left - 6}" y="${PAD.top + PLOT_H}" text-anchor="end" font-size="11" fill="${INK}">0</text>
    ${points.length ? html`<text x="${PAD.left}" y="${HEIGHT - 8}" font-size="11" fill="${INK}">${points[0]!.label}</text>
      <text x="${WIDTH - PAD.right}" y="${HEIGHT - 8}" text-anchor="end" font-size="11" fill="${INK}">${points.at(-1)!.label}</text>` : ""}
    ${marks}
    ${trendMark}
  </svg>`;
}
