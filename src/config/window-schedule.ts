import { Cron } from "croner";
import type { Interval, WindowSchedule } from "../core/model/config.js";
import { isValidTimeZone, parseIsoInZone } from "../core/time/zoned-time.js";

export interface WindowScheduleSpec {
  /** One-off: ISO 8601, wall-clock in `timezone` unless it carries an offset. */
  readonly start?: string;
  readonly end?: string;
  /** Recurring: cron expression for the start instants, evaluated in `timezone`. */
  readonly cron?: string;
  /** Recurring: how long each occurrence lasts, in real elapsed milliseconds. */
  readonly durationMs?: number;
  readonly timezone: string;
}

/**
 * Compile a window's times into a WindowSchedule. Throws an Error with a readable message on
 * input the config validator should already have rejected (so misuse is loud, not silent).
 */
export function buildWindowSchedule(spec: WindowScheduleSpec): WindowSchedule {
  if (!isValidTimeZone(spec.timezone)) throw new Error(`unknown time zone "${spec.timezone}"`);
  const oneOff = spec.start !== undefined || spec.end !== undefined;
  const recurring = spec.cron !== undefined || spec.durationMs !== undefined;
  if (oneOff && recurring) throw new Error("a window has either start and end, or cron and duration, not both");
  if (oneOff) return oneOffSchedule(spec.start, spec.end, spec.timezone);
  if (recurring) return recurringSchedule(spec.cron, spec.durationMs, spec.timezone);
  throw new Error("a window needs start and end, or cron and duration");
}

function oneOffSchedule(startText: string | undefined, endText: string | undefined, timezone: string): WindowSchedule {
  if (startText === undefined || endText === undefined) throw new Error("a one-off window needs both start and end");
  const start = parseIsoInZone(startText, timezone);
  const end = parseIsoInZone(endText, timezone);
  if (!start) throw new Error(`start "${startText}" is not an ISO 8601 date-time like 2026-11-03T18:00`);
  if (!end) throw new Error(`end "${endText}" is not an ISO 8601 date-time like 2026-11-04T06:00`);
  if (end.getTime() <= start.getTime()) throw new Error(`end ${endText} is not after start ${startText}`);
  const interval: Interval = { start, end };
  return {
    openAt: (at) => (start.getTime() <= at.getTime() && at.getTime() < end.getTime() ? interval : null),
    nextAfter: (at) => (start.getTime() > at.getTime() ? interval : null),
  };
}

/** Cron patterns we accept: 5 or 6 fields, or a nickname. croner treats text with ":" as a date. */
export function cronProblem(pattern: string, timezone = "UTC"): string | undefined {
  if (pattern.includes(":")) return `"${pattern}" is a date, not a cron expression like "0 20 * * 1-5"`;
  try {
    makeCron(pattern, timezone);
    return undefined;
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^CronPattern:\s*/, "") : String(error);
    return `"${pattern}" is not a valid cron expression (${detail}); expected e.g. "0 20 * * 1-5"`;
  }
}

function makeCron(pattern: string, timezone: string): Cron {
  // No callback: the Cron object only computes instants and never starts a timer.
  return new Cron(pattern, { timezone, mode: "5-or-6-parts" });
}

// Enough for a per-second pattern to leave a repeated (fall-back) hour; see firstStartAfter.
const MAX_OVERLAP_STEPS = 4000;

function recurringSchedule(pattern: string | undefined, durationMs: number | undefined, timezone: string): WindowSchedule {
  if (pattern === undefined) throw new Error("a recurring window needs a cron expression");
  if (durationMs === undefined || !(durationMs > 0)) throw new Error("a recurring window needs a positive duration");
  const problem = cronProblem(pattern, timezone);
  if (problem) throw new Error(problem);
  const cron = makeCron(pattern, timezone);

  /**
   * The first start strictly after `after`. croner maps an ambiguous wall-clock time to its
   * earlier instant, so from inside a repeated fall-back hour it can answer a start that is
   * already in the past; stepping on from that answer moves forward in wall-clock time.
   */
  const firstStartAfter = (after: number): number | null => {
    let next = cron.nextRun(new Date(after));
    for (let step = 0; next && next.getTime() <= after && step < MAX_OVERLAP_STEPS; step++) next = cron.nextRun(next);
    return next && next.getTime() > after ? next.getTime() : null;
  };

  const occurrence = (start: number): Interval => ({ start: new Date(start), end: new Date(start + durationMs) });

  /**
   * Occurrences containing `at` start in (at - duration, at]; all last equally long, so the one
   * ending last is the one starting last. Binary search with "first start after x" finds it in
   * O(log(duration)) croner calls. Invariant: `latest` is a start <= at; none lies in (high, at].
   */
  const latestStartAtOrBefore = (at: number): number | null => {
    const first = firstStartAfter(at - durationMs);
    if (first === null || first > at) return null;
    let latest = first;
    const following = firstStartAfter(latest);
    if (following === null || following > at) return latest;
    latest = following;
    let high = at;
    // Starts fall on whole seconds, so nothing fits strictly between latest and high once they are a second apart.
    while (high - latest >= 1000) {
      const middle = Math.floor((latest + high) / 2);
      const candidate = firstStartAfter(middle);
      // candidate > middle >= latest, so either branch shrinks the range.
      if (candidate !== null && candidate <= at) latest = candidate;
      else high = middle;
    }
    return latest;
  };

  return {
    openAt(at) {
      const start = latestStartAtOrBefore(at.getTime());
      return start === null ? null : occurrence(start);
    },
    nextAfter(at) {
      const start = firstStartAfter(at.getTime());
      return start === null ? null : occurrence(start);
    },
  };
}
