import { formatMoment } from "../../core/policies/format-moment.js";
import { formatInZone } from "../../core/time/zoned-time.js";
import { html, type SafeHtml } from "./html.js";

/** "45s", "12m", "3h 5m", "2d 4h": short enough for a board cell. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** "3h 5m ago". */
export const ago = (iso: string, now: Date): string => `${duration(now.getTime() - Date.parse(iso))} ago`;

/**
 * A moment in the configuration's zone, marked up with its instant so the client script can add
 * the viewer's own time; the full date is the tooltip.
 */
export function moment(iso: string | undefined, timezone: string, now: Date): SafeHtml {
  if (!iso) return html`—`;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return html`—`;
  return html`<time datetime="${at.toISOString()}" title="${formatInZone(at, timezone)}">${formatMoment(at, timezone, now)}</time>`;
}

export const shortSha = (sha: string): string => sha.slice(0, 7);
