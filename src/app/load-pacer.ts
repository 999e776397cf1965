import { performance, type EventLoopUtilization } from "node:perf_hooks";
import type { Pacer } from "../core/ports/pacer.js";

/** How often work held back by a saturated process looks again. */
export const BUSY_RECHECK_MS = 100;

/** Longest a report waits for a saturated process before it runs anyway. */
export const DEFAULT_MAX_REPORT_DELAY_MS = 2_000;

/** `performance.eventLoopUtilization`: the loop's idle and active time, since an earlier reading if given. */
export type EventLoopUtilizationReader = (since?: EventLoopUtilization) => EventLoopUtilization;

/**
 * True when the event loop was busy for at least `threshold` of the time since it was last asked
 * (looked at no more often than every `windowMs`).
 */
export function eventLoopSaturation(
  threshold = 0.9,
  windowMs = BUSY_RECHECK_MS,
  /** Node's reading of the loop; tests pass a fake one. */
  utilization: EventLoopUtilizationReader = (since) => performance.eventLoopUtilization(since),
): () => boolean {
  let since = utilization();
  let saturated = false;
  return () => {
    const recent = utilization(since);
    if (recent.idle + recent.active < windowMs) return saturated;
    since = utilization();
    saturated = recent.utilization >= threshold;
    return saturated;
  };
}

interface Waiter {
  readonly since: number;
  readonly resolve: () => void;
}

/**
 * Background work asks for a turn; while the process is saturated (requests arriving faster than
 * it answers them), turns wait, oldest first, and are all given as soon as it has time again.
 * None waits longer than `maxDelayMs`: under a load that never lets up the reports still go out,
 * late but in order. Real time, not the injected clock: it is about this process's CPU, and a
 * test's frozen clock must not hold reports forever.
 */
export class LoadPacer implements Pacer {
  private waiting: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly busy: () => boolean = eventLoopSaturation(),
    private readonly maxDelayMs = DEFAULT_MAX_REPORT_DELAY_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  turn(): Promise<void> {
    // Work behind others that wait keeps its place in line, so a deploy's reports stay in order.
    if (this.waiting.length === 0 && !this.busy()) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.push({ since: this.now(), resolve });
      this.arm();
    });
  }

  /** How many turns are waiting (metrics, tests). */
  get backlog(): number {
    return this.waiting.length;
  }

  /** Gives every waiting turn now (shutdown: the reports still pending are flushed). */
  release(): void {
    const all = this.waiting;
    this.waiting = [];
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of all) waiter.resolve();
  }

  private arm(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.check(), BUSY_RECHECK_MS);
    this.timer.unref?.();
  }

  private check(): void {
    this.timer = undefined;
    if (!this.busy()) return this.release();
    const overdueBefore = this.now() - this.maxDelayMs;
    let overdue = 0;
    while (overdue < this.waiting.length && this.waiting[overdue]!.since <= overdueBefore) overdue++;
    for (const waiter of this.waiting.splice(0, overdue)) waiter.resolve();
    if (this.waiting.length > 0) this.arm();
  }
}
