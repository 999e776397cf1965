import type { Timers } from "../ports/timers.js";

/**
 * Periodic work on the replica's timers (retention, reminders, the watchdog): rounds never overlap,
 * because the next is armed only when the last has ended, and each round says how long to wait
 * before the next. A round must not reject: each duty logs its own failures and picks its wait.
 */
export class RepeatingDuty {
  private timer: unknown;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly timers: Pick<Timers, "setTimeout" | "clearTimeout">,
    private readonly round: () => Promise<number>,
  ) {}

  /** A round now, then the next after the wait it returns, and so on. */
  start(): void {
    this.tick();
  }

  /** The first round after `ms` rather than now. */
  startAfter(ms: number): void {
    this.arm(ms);
  }

  /** Resolves when the round under way (if any) and the arming of the next are done. */
  idle(): Promise<void> {
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.stopped) return;
    this.running = this.round().then((waitMs) => this.arm(waitMs));
  }

  private arm(waitMs: number): void {
    if (!this.stopped) this.timer = this.timers.setTimeout(() => this.tick(), waitMs);
  }
}
