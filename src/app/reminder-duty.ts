import type { Logger } from "../core/ports/logger.js";
import type { RoundReport } from "../core/reminders/reminder-round.js";
import type { Timers } from "../ports/timers.js";
import { RepeatingDuty } from "./repeating-duty.js";

/**
 * The longest the duty sleeps: a lock taken on another replica, or a window added by a restart
 * with a new configuration, is noticed within this. Window moments and lock periods it knows of
 * wake it at their exact time.
 */
export const REMINDER_MAX_WAIT_MS = 60_000;

export interface ReminderDutyOptions {
  /** One round at `now` (the core's runReminderRound with its dependencies). */
  readonly round: (now: Date) => Promise<RoundReport>;
  readonly timers: Pick<Timers, "setTimeout" | "clearTimeout">;
  readonly now: () => Date;
  readonly logger: Logger;
  /** Default REMINDER_MAX_WAIT_MS. */
  readonly maxWaitMs?: number;
}

/**
 * The replica's scheduler of reminders and window releases: a round now, then another when the
 * round says something next falls due (a window's moment, a lock's next period), or after
 * REMINDER_MAX_WAIT_MS at most. Every replica runs it; the store lets one of them send each
 * reminder. Rounds never overlap: the next is armed when the last has ended.
 */
export class ReminderDuty {
  private readonly duty: RepeatingDuty;

  constructor(private readonly options: ReminderDutyOptions) {
    // The round's time is the moment the timer fired, taken before any await.
    this.duty = new RepeatingDuty(options.timers, () => this.runRound(options.now()));
  }

  start(): void {
    this.duty.start();
  }

  /** Resolves when the round under way (if any) and the arming of the next are done. */
  idle(): Promise<void> {
    return this.duty.idle();
  }

  stop(): Promise<void> {
    return this.duty.stop();
  }

  /** Runs one round; resolves with how long to sleep before the next. Never rejects. */
  private async runRound(now: Date): Promise<number> {
    const { round, logger } = this.options;
    const maxWaitMs = this.options.maxWaitMs ?? REMINDER_MAX_WAIT_MS;
    try {
      const report = await round(now);
      if (report.sent > 0) logger.info({ sent: report.sent }, "reminders: sent");
      // From the time now, not the round's: a slow round must not make the next one late.
      const untilNext = report.next ? report.next.getTime() - this.options.now().getTime() : maxWaitMs;
      return Math.max(0, Math.min(maxWaitMs, untilNext));
    } catch (error) {
      logger.warn({ err: error }, "reminders: a round failed; the next one tries again");
      return maxWaitMs;
    }
  }
}
