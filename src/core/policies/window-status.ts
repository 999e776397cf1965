import type { WhistlestopConfig } from "../model/config.js";
import { formatMoment } from "./format-moment.js";

/** One window as the `windows` command shows it; structurally a WindowView of command-result.ts. */
export interface WindowStatus {
  readonly name: string;
  readonly kind: "deny" | "allow";
  readonly open: boolean;
  /** ISO start and end of the open occurrence, else of the next one; absent when it never opens again. */
  readonly start?: string;
  readonly end?: string;
  readonly reason?: string;
  readonly environments: readonly string[];
  readonly services: readonly string[];
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
