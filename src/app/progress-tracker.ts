import type { ReconcileOutcome } from "../core/orchestrator/deploy-orchestrator.js";
import type { Logger } from "../core/ports/logger.js";
import type { Tracker } from "../core/ports/tracker.js";
import type { Timers } from "../ports/timers.js";
import { BUSY_RECHECK_MS, eventLoopSaturation } from "./load-pacer.js";

export interface TrackerOptions {
  /** First poll after a start or a change. */
  readonly minIntervalMs: number;
  /** Polls of a long, quiet stage slow down to this. */
  readonly maxIntervalMs: number;
  /** How many reconciles may run at once (bounds AWS calls under load). */
  readonly concurrency: number;
  /**
   * Whether the process is saturated right now. While it is, due polls wait (each at most
   * `busyDeferMs` past its time) and then run one at a time: requests that are arriving go
   * first, progress reads follow without arriving in a batch.
   */
  readonly busy?: () => boolean;
  /** Longest a due poll waits for a saturated process; default 5 s. */
  readonly busyDeferMs?: number;
}

/**
 * Four polls at a time: polls are background work, and each one in flight takes turns of the event
 * loop that a webhook or a slash command is waiting for (at 8, a merge that arrived mid-burst
 * waited for eight reconciles; at 2, deploys under a burst of slash commands finished late enough
 * to queue the next ones, and acknowledgements slowed). Against AWS, where a poll spends ~200 ms
 * waiting on two calls, four at a time read 20 executions a second, more than hundreds of running
 * deploys polled every 2–30 s need.
 */
export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = { minIntervalMs: 2_000, maxIntervalMs: 30_000, concurrency: 4, busy: eventLoopSaturation() };

interface Entry {
  dueAt: number;
  intervalMs: number;
  running: boolean;
  /** A poke arrived while a reconcile was running: run again right after. */
  again: boolean;
}

/**
 * One scheduler for every running execution: a single timer set for the earliest due poll,
 * not a timer chain per deploy. Polls back off while nothing changes (fast at first, slower for
 * long stages), with jitter so deploys started together do not poll together. A pipeline event
 * (`poke`) reconciles at once. Either path alone drives a deploy to its end.
 */
export class ProgressTracker implements Tracker {
  private readonly entries = new Map<string, Entry>();
  private timer: unknown;
  private timerDueAt = Infinity;
  /** No poll before this time (a saturated process holds them back). */
  private notBefore = 0;
  private active = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly reconcile: (deployId: string) => Promise<ReconcileOutcome>,
    private readonly timers: Timers,
    private readonly logger: Logger,
    private readonly options: TrackerOptions = DEFAULT_TRACKER_OPTIONS,
  ) {}

  track(deployId: string): void {
    if (this.stopped || this.entries.has(deployId)) return;
    const intervalMs = this.options.minIntervalMs;
    this.entries.set(deployId, { dueAt: this.timers.now() + this.jitter(intervalMs), intervalMs, running: false, again: false });
    this.schedule();
  }

  untrack(deployId: string): void {
    this.entries.delete(deployId);
  }

  /** Reconcile now (an EventBridge event arrived); starts following the deploy if needed. */
  poke(deployId: string): void {
    if (this.stopped) return;
    const entry = this.entries.get(deployId);
    if (!entry) {
      this.entries.set(deployId, { dueAt: this.timers.now(), intervalMs: this.options.minIntervalMs, running: false, again: false });
    } else if (entry.running) {
      entry.again = true;
      return;
    } else {
      entry.dueAt = this.timers.now();
      entry.intervalMs = this.options.minIntervalMs;
    }
    this.schedule();
  }

  tracked(): string[] {
    return [...this.entries.keys()];
  }

  /** Stop polling and wait for reconciles under way (graceful shutdown, tests). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    await this.settled();
  }

  /** Resolves when no reconcile is running. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private schedule(): void {
    // At the concurrency limit a finishing reconcile calls schedule() again; a timer now would spin.
    if (this.stopped || this.active >= this.options.concurrency) return;
    let next = Infinity;
    for (const entry of this.entries.values()) if (!entry.running && entry.dueAt < next) next = entry.dueAt;
    if (next === Infinity) return;
    next = Math.max(next, this.notBefore);
    if (next >= this.timerDueAt) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timerDueAt = next;
    this.timer = this.timers.setTimeout(() => this.fire(), Math.max(0, next - this.timers.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerDueAt = Infinity;
    const now = this.timers.now();
    const due = [...this.entries.entries()].filter(([, e]) => !e.running && e.dueAt <= now).sort((a, b) => a[1].dueAt - b[1].dueAt);
    const saturated = due.length > 0 && (this.options.busy?.() ?? false);
    const limit = saturated ? 1 : this.options.concurrency;
    const longestWait = this.options.busyDeferMs ?? 5_000;
    let heldBack = false;
    for (const [deployId, entry] of due) {
      if (saturated && now - entry.dueAt < longestWait) {
        heldBack = true;
        continue;
      }
      if (this.active >= limit) {
        heldBack ||= saturated;
        break;
      }
      this.run(deployId, entry);
    }
    this.notBefore = heldBack ? now + BUSY_RECHECK_MS : 0;
    this.schedule();
  }

  private run(deployId: string, entry: Entry): void {
    entry.running = true;
    entry.again = false;
    this.active++;
    const work = this.reconcile(deployId).then(
      (outcome) => this.after(deployId, entry, outcome),
      (error: unknown) => {
        this.logger.warn({ err: error, deployId }, "could not read pipeline progress; retrying with backoff");
        this.after(deployId, entry, "unchanged");
      },
    );
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      this.active--;
      this.schedule();
    });
  }

  private after(deployId: string, entry: Entry, outcome: ReconcileOutcome): void {
    entry.running = false;
    if (this.entries.get(deployId) !== entry) return;
    if (outcome === "done") {
      this.entries.delete(deployId);
      return;
    }
    const { minIntervalMs, maxIntervalMs } = this.options;
    if (typeof outcome === "object") {
      // A verifying deploy says when its next step is due; it is looked at by then, and at least
      // every maxIntervalMs (the step is read from the store, so an early look only waits again).
      entry.intervalMs = maxIntervalMs;
      entry.dueAt = this.timers.now() + (entry.again ? 0 : Math.min(Math.max(0, outcome.waitMs), maxIntervalMs));
      return;
    }
    entry.intervalMs = outcome === "changed" || entry.again ? minIntervalMs : Math.min(maxIntervalMs, Math.round(entry.intervalMs * 1.5));
    entry.dueAt = this.timers.now() + (entry.again ? 0 : this.jitter(entry.intervalMs));
  }

  /** ±20%, so deploys started together spread out. */
  private jitter(ms: number): number {
    return Math.round(ms * (0.8 + 0.4 * this.timers.random()));
  }
}
