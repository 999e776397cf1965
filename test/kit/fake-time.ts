import type { Clock } from "../../src/core/ports/clock.js";
import type { Timers } from "../../src/ports/timers.js";

/** Where a test's time starts unless it says otherwise. */
export const DEFAULT_START = "2026-11-27T15:00:00Z";

/**
 * The one fake time for tests: the Timers the schedulers use and the Clock the core reads,
 * on one instant that moves only when the test says so. `now()` counts milliseconds from the
 * start (0), so tests can compare timer times as small numbers; `clock.now()` is the same
 * instant as a Date.
 */
export class FakeTime implements Timers {
  private current = 0;
  private nextHandle = 0;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  private readonly startMs: number;
  randomValue = 0.5;
  /** The same instant as a Clock, for the core and anything else that reads a Date. */
  readonly clock: Clock = { now: () => new Date(this.startMs + this.current) };

  constructor(start: string | Date = DEFAULT_START) {
    this.startMs = new Date(start).getTime();
  }

  now(): number {
    return this.current;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const handle = ++this.nextHandle;
    this.pending.set(handle, { at: this.current + Math.max(0, ms), callback });
    return handle;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  random(): number {
    return this.randomValue;
  }

  /** When each pending timer falls due (in now() units), soonest first: what a scheduler armed itself for. */
  dueTimes(): number[] {
    return [...this.pending.values()].map((t) => t.at).sort((a, b) => a - b);
  }

  /** The instant `iso` in now() units, to compare with dueTimes(). */
  at(iso: string): number {
    return new Date(iso).getTime() - this.startMs;
  }

  /** Move time forward, firing due timers in order (and letting the promises they start settle). */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.current = Math.max(this.current, due[1].at);
      due[1].callback();
      await flush();
    }
    this.current = end;
    await flush();
  }

  /** Jump to a wall-clock time (forward only, as real time goes), firing what falls due on the way. */
  async set(iso: string): Promise<void> {
    const target = new Date(iso).getTime() - this.startMs;
    if (target < this.current) throw new Error(`FakeTime only moves forward: ${iso} is before ${this.clock.now().toISOString()}`);
    await this.advance(target - this.current);
  }
}

/** Let queued promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
