import type { Interval, WhistlestopConfig, WindowConfig } from "../../core/model/config.js";
import { instantOfWallClock, wallClockAt, zoneOffsetMs } from "../../core/time/zoned-time.js";

const HOUR = 3_600_000;
/** Enough for a window that opens every hour for two weeks; a denser cron is cut here. */
const MAX_OCCURRENCES = 400;

/** One local day of the calendar, from its midnight to the next, however long DST makes it. */
export interface CalendarDay {
  /** 2026-11-01 in the configuration's zone. */
  readonly date: string;
  readonly start: Date;
  readonly end: Date;
  /** 23, 24 or 25. */
  readonly hours: number;
  /** The zone's offset changes during this day (a DST change). */
  readonly offsetChange?: { readonly from: number; readonly to: number };
  readonly occurrences: readonly { readonly window: WindowConfig; readonly interval: Interval }[];
}

/** Every occurrence of a window that overlaps [from, to), in order. */
export function occurrencesBetween(window: WindowConfig, from: Date, to: Date): Interval[] {
  const found: Interval[] = [];
  let next = window.schedule.openAt(from) ?? window.schedule.nextAfter(from);
  while (next && next.start.getTime() < to.getTime() && found.length < MAX_OCCURRENCES) {
    found.push(next);
    next = window.schedule.nextAfter(next.start);
  }
  return found;
}

/**
 * `days` local days from the one holding `now`, in the configuration's zone: each day's midnight is
 * found on the wall clock, so the day DST ends has 25 hours and the day it starts has 23, and each
 * window's occurrences are placed by their instants.
 */
export function calendarDays(config: Pick<WhistlestopConfig, "timezone" | "windows">, now: Date, days = 14): CalendarDay[] {
  const tz = config.timezone;
  const today = wallClockAt(now, tz);
  const midnight = (offset: number) => {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const start = instantOfWallClock({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: 0, minute: 0, second: 0 }, tz);
    return { date: day.toISOString().slice(0, 10), start };
  };
  const bounds = Array.from({ length: days + 1 }, (_, i) => midnight(i));
  const rangeStart = bounds[0]!.start;
  const rangeEnd = bounds[days]!.start;
  const all = config.windows.flatMap((window) => occurrencesBetween(window, rangeStart, rangeEnd).map((interval) => ({ window, interval })));
  return bounds.slice(0, days).map(({ date, start }, i) => {
    const end = bounds[i + 1]!.start;
    const from = zoneOffsetMs(start, tz);
    const to = zoneOffsetMs(new Date(end.getTime() - 1), tz);
    return {
      date,
      start,
      end,
      hours: Math.round((end.getTime() - start.getTime()) / HOUR),
      ...(from !== to ? { offsetChange: { from, to } } : {}),
      occurrences: all
        .filter(({ interval }) => interval.start.getTime() < end.getTime() && interval.end.getTime() > start.getTime())
        .sort((a, b) => a.interval.start.getTime() - b.interval.start.getTime()),
    };
  });
}

/** What the calendar shows, in order: a day that has windows, or a run of consecutive days that have none. */
export type CalendarRow = { readonly kind: "day"; readonly day: CalendarDay } | { readonly kind: "empty"; readonly days: readonly CalendarDay[] };

/** The days in order, each run of consecutive days without a window folded into one row. */
export function calendarRows(days: readonly CalendarDay[]): CalendarRow[] {
  const rows: CalendarRow[] = [];
  for (const day of days) {
    const last = rows.at(-1);
    if (day.occurrences.length) rows.push({ kind: "day", day });
    else if (last?.kind === "empty") rows[rows.length - 1] = { kind: "empty", days: [...last.days, day] };
    else rows.push({ kind: "empty", days: [day] });
  }
  return rows;
}
