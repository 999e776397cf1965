/**
 * Wall-clock time in IANA zones with nothing but Intl, so the core needs no date library.
 * Used by the command parser (`until 18:00`), the config loader (one-off windows) and messages.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The wall clock in `timeZone` at instant `at`. */
export function wallClockAt(at: Date, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(at)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Offset of `timeZone` from UTC at instant `at`, in milliseconds (New York in winter: -5h). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const w = wallClockAt(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` shows `local`. In a spring-forward gap the
 * time is moved forward by the gap (02:30 → 03:30); in a fall-back overlap the earlier instant wins.
 */
export function instantOfWallClock(local: WallClock, timeZone: string): Date {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const offsetBefore = zoneOffsetMs(new Date(naive - 12 * 3600_000), timeZone);
  const offsetAfter = zoneOffsetMs(new Date(naive + 12 * 3600_000), timeZone);
  const candidates = [naive - offsetBefore, naive - offsetAfter].sort((a, b) => a - b);
  for (const candidate of candidates) {
    const w = wallClockAt(new Date(candidate), timeZone);
    if (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) === naive) return new Date(candidate);
  }
  // In a gap no instant shows this wall clock: the pre-gap offset moves it forward by the gap.
  return new Date(naive - offsetBefore);
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parse an ISO 8601 date-time. With an offset (`Z`, `-05:00`) it is absolute; without one it is
 * wall-clock time in `timeZone`. A bare date means its midnight. Returns undefined when malformed.
 */
export function parseIsoInZone(text: string, timeZone: string): Date | undefined {
  const trimmed = text.trim();
  if (WITH_OFFSET.test(trimmed)) {
    const ms = Date.parse(trimmed.replace(" ", "T"));
    return Number.isNaN(ms) ? undefined : new Date(ms);
  }
  const m = LOCAL_TIME.exec(/^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00` : trimmed);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return undefined;
  return instantOfWallClock({ year, month, day, hour, minute, second }, timeZone);
}

/** "Tue Nov 8 18:00 EST": short, unambiguous text for messages. */
export function formatInZone(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  })
    .format(at)
    .replace(/,/g, "");
}
