import type { WindowView } from "../commands/command-result.js";
import type { WhistlestopConfig } from "../model/config.js";
import { formatMoment } from "./format-moment.js";

/**
 * One window as the `windows` command shows it: a WindowView whose start and end are the open
 * occurrence's, else the next one's (absent when it never opens again).
 */
export interface WindowStatus extends WindowView {
  readonly allowRollback: boolean;
  /** "open until 02:00 EST" / "next Tue Nov 3 22:00 EST → Wed Nov 4 02:00 EST" / "never opens again". */
  readonly summary: string;
}

/** Every window (only those applying to `env` when given) with its open or next occurrence at `now`. */
export function windowStatus(config: WhistlestopConfig, now: Date, env?: string): WindowStatus[] {
  const tz = config.timezone;
  return config.windows
    .filter((w) => env === undefined || w.environments.length === 0 || w.environments.includes(env))
    .map((w) => {
      const current = w.schedule.openAt(now);
      const shown = current ?? w.schedule.nextAfter(now);
      const summary = current
        ? `open until ${formatMoment(current.end, tz, now)}`
        : shown
          ? `next ${formatMoment(shown.start, tz, now)} → ${formatMoment(shown.end, tz, shown.start)}`
          : "never opens again";
      return {
        name: w.name,
        kind: w.kind,
        open: current !== null,
        ...(shown ? { start: shown.start.toISOString(), end: shown.end.toISOString() } : {}),
        ...(w.reason ? { reason: w.reason } : {}),
        environments: w.environments,
        services: w.services,
        allowRollback: w.allowRollback,
        summary,
      };
    });
}
