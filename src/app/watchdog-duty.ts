import type { Logger } from "../core/ports/logger.js";
import type { Watchdog } from "../core/watchdog/watchdog.js";
import type { Timers } from "../ports/timers.js";

/** How often a replica looks at the deploys it follows: warnings come at most this late. */
export const WATCHDOG_INTERVAL_MS = 60_000;

/**
 * Runs the watchdog's check every minute on the replica's timers, one check at a time. The check
 * itself reads the injected clock, so tests move a fake clock and call `runOnce`.
 */
export class WatchdogDuty {
  private timer: unknown;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: { readonly watchdog: Pick<Watchdog, "check">; readonly timers: Pick<Timers, "setTimeout" | "clearTimeout">; readonly logger: Logger; readonly intervalMs?: number }) {}

  start(): void {
    this.schedule();
  }

  /** One check now; never rejects. */
  runOnce(): Promise<void> {
    this.running = this.running.then(() =>
      this.options.watchdog.check().catch((error: unknown) => this.options.logger.warn({ err: error }, "watchdog: the check failed; the next one tries again")),
    );
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.options.timers.clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.options.timers.setTimeout(() => void this.runOnce().finally(() => this.schedule()), this.options.intervalMs ?? WATCHDOG_INTERVAL_MS);
  }
}
