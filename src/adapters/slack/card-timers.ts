/**
 * The timers the card coalescer needs. Structurally the app's Timers (src/app/timers.ts), so the
 * test suite's ManualTimers drive it; declared here so the adapter does not import the app layer.
 */
export interface CardTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realCardTimers: CardTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A pending card edit must not keep a stopping process alive; final edits are awaited instead.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
