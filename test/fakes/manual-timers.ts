import type { Timers } from "../../src/ports/timers.js";

/** Timers that move only when the test says so; `advance` runs what falls due, in order. */
export class ManualTimers implements Timers {
  private current = 0;
  private nextHandle = 0;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  randomValue = 0.5;

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
  /** Move time forward, firing due timers (and letting the promises they start settle). */
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
}

/** Let queued promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
