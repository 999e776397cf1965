import type { Logger } from "../core/ports/logger.js";
import type { Watchdog } from "../core/watchdog/watchdog.js";
import type { Timers } from "../ports/timers.js";
import { RepeatingDuty } from "./repeating-duty.js";

/** How often a replica looks at the deploys it follows: warnings come at most this late. */
export const WATCHDOG_INTERVAL_MS = 60_000;

/**
 * Runs the watchdog's check every minute on the replica's timers, one check at a time. The check
 * itself reads the injected clock, so tests move a fake clock and call `runOnce`.
 */
export class WatchdogDuty {
  private readonly duty: RepeatingDuty;
  private checks: Promise<void> = Promise.resolve();

  constructor(private readonly options: { readonly watchdog: Pick<Watchdog, "check">; readonly timers: Pick<Timers, "setTimeout" | "clearTimeout">; readonly logger: Logger; readonly intervalMs?: number }) {
    this.duty = new RepeatingDuty(options.timers, async () => {
      await this.runOnce();
      return this.intervalMs;
    });
  }

  private get intervalMs(): number {
    return this.options.intervalMs ?? WATCHDOG_INTERVAL_MS;
  }

  /** The first check after one interval, then every interval. */
  start(): void {
    this.duty.startAfter(this.intervalMs);
  }

  /** One check now, after any under way; never rejects. */
  runOnce(): Promise<void> {
    this.checks = this.checks.then(() =>
      this.options.watchdog.check().catch((error: unknown) => this.options.logger.warn({ err: error }, "watchdog: the check failed; the next one tries again")),
    );
    return this.checks;
  }

  async stop(): Promise<void> {
    await this.duty.stop();
    await this.checks;
  }
}
