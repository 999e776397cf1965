import { suggestName } from "../commands/suggest-name.js";
import type { WhistlestopConfig } from "../model/config.js";
import { DORA_WINDOWS, type DoraWindow } from "../model/dora.js";

/** Which metrics to give: all targets or one service and/or environment, over one period. */
export interface DoraQuery {
  readonly service?: string;
  readonly env?: string;
  readonly days: DoraWindow;
}

export const DEFAULT_DORA_DAYS: DoraWindow = 30;

export type DoraQueryResult = { readonly ok: true; readonly query: DoraQuery } | { readonly ok: false; readonly message: string };

/**
 * Checks a query as people type it (`service`, `env`, `days`; empty means all, or 30 days):
 * names must be configured, and days one of 7, 30 or 90. The message says what would work.
 */
export function parseDoraQuery(config: WhistlestopConfig, raw: { readonly service?: string; readonly env?: string; readonly days?: string }): DoraQueryResult {
  const service = raw.service?.trim() || undefined;
  const env = raw.env?.trim() || undefined;
  const daysText = raw.days?.trim() || undefined;
  if (service !== undefined && !Object.hasOwn(config.services, service)) return { ok: false, message: unknownName("service", service, Object.keys(config.services)) };
  if (env !== undefined && !Object.hasOwn(config.environments, env)) return { ok: false, message: unknownName("environment", env, Object.keys(config.environments)) };
  let days: DoraWindow = DEFAULT_DORA_DAYS;
  if (daysText !== undefined) {
    const parsed = /^\d{1,3}$/.test(daysText) ? Number(daysText) : Number.NaN;
    if (!(DORA_WINDOWS as readonly number[]).includes(parsed)) return { ok: false, message: `days must be one of ${DORA_WINDOWS.join(", ")}; "${daysText.slice(0, 20)}" is not.` };
    days = parsed as DoraWindow;
  }
  return { ok: true, query: { ...(service ? { service } : {}), ...(env ? { env } : {}), days } };
}

function unknownName(kind: string, name: string, known: readonly string[]): string {
  const shown = name.slice(0, 60);
  const suggestion = suggestName(name, known);
  return `unknown ${kind} "${shown}"${suggestion ? ` — did you mean "${suggestion}"?` : ""} Leave it empty for every ${kind}.`;
}
