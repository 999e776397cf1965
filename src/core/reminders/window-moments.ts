import type { Interval, WindowConfig, WhistlestopConfig } from "../model/config.js";

/** The three announcements of a deny window's occurrence. */
export type WindowMomentKind = "window_soon" | "window_start" | "window_end";

/** One moment of one occurrence of a window: when it is due, and which occurrence it belongs to. */
export interface WindowMoment {
  readonly kind: WindowMomentKind;
  readonly window: WindowConfig;
  readonly occurrence: Interval;
  readonly at: Date;
}

/** How long before an occurrence starts people are told it is coming. */
export const WINDOW_NOTICE_LEAD_MS = 30 * 60_000;
/**
 * How late a start or end announcement (and a release) may still go out, when every replica was
 * down at the moment: later than this it is old news, and the sweep releases queues anyway.
 */
export const WINDOW_NOTICE_LATE_MS = 15 * 60_000;
/** A window that starts every second must not make one call enumerate without end. */
const MAX_OCCURRENCES = 200;

/**
 * The occurrences of `window` that start in [from, to], oldest first. A schedule only answers
 * "the occurrence open at" and "the first starting after", so this steps from start to start.
 */
export function occurrencesStarting(window: WindowConfig, from: Date, to: Date): Interval[] {
  const found: Interval[] = [];
  let next = window.schedule.nextAfter(new Date(from.getTime() - 1));
  while (next && next.start.getTime() <= to.getTime() && found.length < MAX_OCCURRENCES) {
    found.push(next);
    next = window.schedule.nextAfter(next.start);
  }
  return found;
}

/**
 * How long the window's occurrences last (they all last the same), or undefined when it has no
 * occurrence that could still be announced at `now`.
 */
function occurrenceLength(window: WindowConfig, now: Date): number | undefined {
  const since = new Date(now.getTime() - WINDOW_NOTICE_LATE_MS);
  const probe = window.schedule.openAt(since) ?? window.schedule.nextAfter(since);
  return probe ? probe.end.getTime() - probe.start.getTime() : undefined;
}

/** The occurrences whose moments (soon, start, end) can be due at `now` or come next. */
function relevantOccurrences(window: WindowConfig, now: Date): Interval[] {
  const length = occurrenceLength(window, now);
  if (length === undefined) return [];
  const from = new Date(now.getTime() - WINDOW_NOTICE_LATE_MS - length);
  const nearby = occurrencesStarting(window, from, new Date(now.getTime() + WINDOW_NOTICE_LEAD_MS));
  const last = nearby[nearby.length - 1];
  const following = window.schedule.nextAfter(last ? last.start : new Date(now.getTime() + WINDOW_NOTICE_LEAD_MS));
  return following ? [...nearby, following] : nearby;
}

function momentsOf(window: WindowConfig, occurrence: Interval): WindowMoment[] {
  const { start, end } = occurrence;
  return [
    { kind: "window_soon", window, occurrence, at: new Date(start.getTime() - WINDOW_NOTICE_LEAD_MS) },
    { kind: "window_start", window, occurrence, at: start },
    { kind: "window_end", window, occurrence, at: end },
  ];
}

/**
 * Whether a moment is due at `now`: from its time until it is too late to matter. "Starts soon" is
 * due until the start (late is still useful until then); a start is not announced once the
 * occurrence is over.
 */
function isDue(moment: WindowMoment, now: number): boolean {
  const at = moment.at.getTime();
  if (now < at) return false;
  switch (moment.kind) {
    case "window_soon":
      return now < moment.occurrence.start.getTime();
    case "window_start":
      return now < Math.min(moment.occurrence.end.getTime(), at + WINDOW_NOTICE_LATE_MS);
    case "window_end":
      return now < at + WINDOW_NOTICE_LATE_MS;
  }
}

/** Deny windows whose occurrences are announced: allow windows (deploy hours) open and close too often to be news. */
const announced = (config: WhistlestopConfig): WindowConfig[] => config.windows.filter((w) => w.kind === "deny" && w.announce !== false);

/** The window announcements due at `now`, oldest first. */
export function dueWindowMoments(config: WhistlestopConfig, now: Date): WindowMoment[] {
  return announced(config)
    .flatMap((w) => relevantOccurrences(w, now).flatMap((o) => momentsOf(w, o)))
    .filter((m) => isDue(m, now.getTime()))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The moments at which a window stops holding deploys, due at `now`: a deny window's end, an allow
 * window's start. Queued deploys it held are started then, announced or not.
 */
export function dueReleases(config: WhistlestopConfig, now: Date): WindowMoment[] {
  return releaseMoments(config, now).filter((m) => m.at.getTime() <= now.getTime() && now.getTime() < m.at.getTime() + WINDOW_NOTICE_LATE_MS);
}

function releaseMoments(config: WhistlestopConfig, now: Date): WindowMoment[] {
  return config.windows.flatMap((w) =>
    relevantOccurrences(w, now).map((o): WindowMoment => (w.kind === "deny" ? { kind: "window_end", window: w, occurrence: o, at: o.end } : { kind: "window_start", window: w, occurrence: o, at: o.start })),
  );
}

/** The first announcement or release after `now`, to wake up for; undefined when no window has one. */
export function nextWindowMomentAt(config: WhistlestopConfig, now: Date): Date | undefined {
  const times = [...announced(config).flatMap((w) => relevantOccurrences(w, now).flatMap((o) => momentsOf(w, o))), ...releaseMoments(config, now)]
    .map((m) => m.at.getTime())
    .filter((t) => t > now.getTime());
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}
