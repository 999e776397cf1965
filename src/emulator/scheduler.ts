/**
 * Time for the emulator. Executions advance on timers; tests and benchmarks swap real timers
 * for a manual scheduler so a whole deploy runs in microseconds and in a known order.
 */
export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `task` after `delayMs`; returns the function that cancels it. */
  schedule(delayMs: number, task: () => void): () => void;
  /** Cancels everything still pending (on close). */
  cancelAll(): void;
}

/** Wall-clock time and real timers; timers do not keep the process alive on their own. */
export class RealScheduler implements Scheduler {
  private readonly pending = new Set<ReturnType<typeof setTimeout>>();

  now(): number {
    return Date.now();
  }

  schedule(delayMs: number, task: () => void): () => void {
    const handle = setTimeout(() => {
      this.pending.delete(handle);
      task();
    }, delayMs);
    handle.unref();
    this.pending.add(handle);
    return () => {
      clearTimeout(handle);
      this.pending.delete(handle);
    };
  }

  cancelAll(): void {
    for (const handle of this.pending) clearTimeout(handle);
    this.pending.clear();
  }
}

interface ManualTask {
  readonly dueAt: number;
  readonly order: number;
  readonly run: () => void;
}

/** Time moves only when told to: `advance(ms)` or `tick()`. Tasks due at the same moment run in the order they were scheduled. */
export class ManualScheduler implements Scheduler {
  private current: number;
  private order = 0;
  private tasks: ManualTask[] = [];

  constructor(start: number | Date = Date.UTC(2024, 0, 1, 12)) {
    this.current = typeof start === "number" ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, task: () => void): () => void {
    const entry: ManualTask = { dueAt: this.current + Math.max(0, delayMs), order: this.order++, run: task };
    this.tasks.push(entry);
    return () => {
      this.tasks = this.tasks.filter((t) => t !== entry);
    };
  }

  cancelAll(): void {
    this.tasks = [];
  }

  /** Moves time forward by `ms`, running every task that falls due on the way (including ones they schedule). */
  advance(ms: number): void {
    const target = this.current + Math.max(0, ms);
    for (let next = this.nextDue(); next && next.dueAt <= target; next = this.nextDue()) this.runTask(next);
    this.current = target;
  }

  /** Jumps to the next pending task and runs it; false when nothing is pending. */
  tick(): boolean {
    const next = this.nextDue();
    if (!next) return false;
    this.runTask(next);
    return true;
  }

  /** Number of tasks waiting to run. */
  get pendingCount(): number {
    return this.tasks.length;
  }

  private nextDue(): ManualTask | undefined {
    let best: ManualTask | undefined;
    for (const t of this.tasks) if (!best || t.dueAt < best.dueAt || (t.dueAt === best.dueAt && t.order < best.order)) best = t;
    return best;
  }

  private runTask(task: ManualTask): void {
    this.tasks = this.tasks.filter((t) => t !== task);
    this.current = Math.max(this.current, task.dueAt);
    task.run();
  }
}
