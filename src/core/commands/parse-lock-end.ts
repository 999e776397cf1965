import { parseDuration } from "../time/duration.js";
import { formatInZone, instantOfWallClock, parseIsoInZone, wallClockAt } from "../time/zoned-time.js";
import { showWord, type CommandToken } from "./tokenize-command.js";

export type LockEndResult =
  | { readonly ok: true; readonly until?: string; readonly rest: readonly CommandToken[] }
  | { readonly ok: false; readonly message: string };

interface Clock {
  readonly timezone: string;
  readonly now: Date;
}

const DURATION_HINT = "expected a duration like 90m, 2h or 1h30m";
const TIME_HINT = "expected a time like 18:00, 2026-11-03T20:00 or 2026-11-03T20:00-05:00";

const CLOCK_24H = /^(\d{1,2}):(\d{2})$/;
const CLOCK_12H = /^(\d{1,2})(?::(\d{2}))?(am|pm)$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const TIME_PART = /^(\d{1,2}):(\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$/i;

const isKeyword = (token: CommandToken | undefined, keyword: string): boolean =>
  token !== undefined && !token.quoted && token.text.toLowerCase() === keyword;

/** "18:00" or "6pm" → hour and minute, or undefined. */
function clockTime(text: string): { hour: number; minute: number } | undefined {
  const h24 = CLOCK_24H.exec(text);
  if (h24) {
    const hour = Number(h24[1]);
    const minute = Number(h24[2]);
    return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
  }
  const h12 = CLOCK_12H.exec(text);
  if (!h12) return undefined;
  const hour = Number(h12[1]);
  const minute = Number(h12[2] ?? 0);
  if (hour < 1 || hour > 12 || minute > 59) return undefined;
  return { hour: (hour % 12) + (h12[3]!.toLowerCase() === "pm" ? 12 : 0), minute };
}

/** The next time the wall clock in the zone shows hour:minute: today, or tomorrow if that has passed. */
function nextWallClock(hour: number, minute: number, clock: Clock): Date {
  const today = wallClockAt(clock.now, clock.timezone);
  for (let addDays = 0; ; addDays++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + addDays));
    const local = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour, minute, second: 0 };
    const at = instantOfWallClock(local, clock.timezone);
    if (at.getTime() > clock.now.getTime() || addDays >= 2) return at;
  }
}

/** `until` takes one word, or a date and a time as two: `until 2026-11-03 20:00`. */
function readTime(words: readonly CommandToken[], clock: Clock): { at?: Date; typed: string; used: number } {
  const first = words[0]?.text ?? "";
  const second = words[1]?.text ?? "";
  const time = TIME_PART.exec(second);
  if (DATE_ONLY.test(first) && time) {
    const iso = `${first}T${time[1]!.padStart(2, "0")}:${time[2]}`;
    return { at: parseIsoInZone(iso, clock.timezone), typed: `${first} ${second}`, used: 2 };
  }
  const wall = clockTime(first);
  if (wall) return { at: nextWallClock(wall.hour, wall.minute, clock), typed: first, used: 1 };
  return { at: parseIsoInZone(first, clock.timezone), typed: first, used: 1 };
}

/**
 * After a lock's scope: `for <duration>`, `until <time>`, or a bare duration (`lock donations prod
 * 2h`, which people type and would otherwise become the reason "2h"). The rest is the reason.
 */
export function parseLockEnd(words: readonly CommandToken[], clock: Clock): LockEndResult {
  const first = words[0];
  if (isKeyword(first, "for") || (first && !first.quoted && parseDuration(first.text) !== undefined)) {
    const typed = isKeyword(first, "for") ? words[1] : first;
    const ms = typed ? parseDuration(typed.text) : undefined;
    if (ms === undefined) return { ok: false, message: typed ? `${showWord(typed.text)} is not a duration — ${DURATION_HINT}` : `${DURATION_HINT} after "for"` };
    const until = new Date(clock.now.getTime() + ms);
    if (Number.isNaN(until.getTime())) return { ok: false, message: `${showWord(typed!.text)} is too long — ${DURATION_HINT}` };
    return { ok: true, until: until.toISOString(), rest: words.slice(typed === first ? 1 : 2) };
  }
  if (!isKeyword(first, "until")) return { ok: true, rest: words };
  const rest = words.slice(1);
  if (rest.length === 0) return { ok: false, message: `${TIME_HINT} after "until"` };
  const { at, typed, used } = readTime(rest, clock);
  if (!at || Number.isNaN(at.getTime())) return { ok: false, message: `${showWord(typed)} is not a time — ${TIME_HINT}` };
  if (at.getTime() <= clock.now.getTime()) {
    return { ok: false, message: `${showWord(typed)} is already past (it is ${formatInZone(clock.now, clock.timezone)}) — give a later time` };
  }
  return { ok: true, until: at.toISOString(), rest: rest.slice(used) };
}
