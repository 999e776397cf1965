/**
 * Time and timers for schedulers and pacing (sweeps, polls, card and comment edits, work
 * trickles), injectable so tests step through time without sleeping. Each user takes the
 * `Pick` of the calls it needs, so one fake serves them all.
 */
export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

/**
 * The real timers, for every layer. Unref'd: a pending poll, sweep or edit must not keep a
 * stopping process alive; whatever has to finish at shutdown is awaited explicitly instead.
 */
export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
};
