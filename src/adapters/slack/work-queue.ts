import { realTimers, type Timers } from "../../ports/timers.js";

export interface WorkQueueOptions {
  /** Tasks worked on at once; default 2. */
  readonly concurrency?: number;
  /** Requests count as still arriving for this long after the last one; default 50 ms. */
  readonly quietMs?: number;
  /** While they arrive, at most one task starts per this many ms; default 250 ms. */
  readonly trickleMs?: number;
  readonly timers?: Pick<Timers, "now" | "setTimeout">;
}

/**
 * Runs acknowledged Slack work a few at a time, acks first. Slack shows an error when an ack
 * takes over three seconds but waits patiently for the answer, and every acknowledged request is
 * already in the store's inbox, so a burst's work may wait: while requests keep arriving
 * (`noteArrival`), tasks start only at a trickle, and at full pace once the burst is over. Each
 * task starts from a fresh macrotask, so pending I/O (new requests, acks) goes first.
 */
export class WorkQueue {
  private readonly waiting: Array<() => void> = [];
  private running = 0;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly quietMs: number;
  private readonly trickleMs: number;
  private readonly timers: Pick<Timers, "now" | "setTimeout">;
  private lastArrival = -Infinity;
  private lastStart = -Infinity;
  private recheck: unknown;

  constructor(options: WorkQueueOptions = {}) {
    this.concurrency = options.concurrency ?? 2;
    this.quietMs = options.quietMs ?? 50;
    this.trickleMs = options.trickleMs ?? 250;
    this.timers = options.timers ?? realTimers;
  }

  /** A request arrived: its ack, and the next ones', go before new work for a moment. */
  noteArrival(): void {
    this.lastArrival = this.timers.now();
  }

  /** Resolves (or rejects) with the task's outcome once it ran. */
  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        this.running++;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.next();
          });
      });
      this.next();
    });
  }

  /** Resolves when nothing is queued or running (graceful shutdown). */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get size(): number {
    return this.running + this.waiting.length;
  }

  private next(): void {
    if (this.running === 0 && this.waiting.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    if (this.running >= this.concurrency || this.waiting.length === 0 || this.recheck !== undefined) return;
    const now = this.timers.now();
    const burstEnds = this.lastArrival + this.quietMs;
    const nextTrickle = this.lastStart + this.trickleMs;
    if (now < burstEnds && now < nextTrickle) {
      this.recheck = this.timers.setTimeout(() => {
        this.recheck = undefined;
        this.next();
      }, Math.min(burstEnds, nextTrickle) - now);
      return;
    }
    const start = this.waiting.shift()!;
    this.lastStart = now;
    // Reserve the slot now; start in a new macrotask so pending I/O (new requests, acks) goes first.
    this.running++;
    setImmediate(() => {
      this.running--;
      start();
    });
    // Fill the other slots too, unless requests are arriving (then one per trickle).
    this.next();
  }
}
