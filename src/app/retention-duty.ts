import type { Logger } from "../core/ports/logger.js";
import type { Store } from "../core/ports/store.js";
import { STAGE_HISTORY } from "../core/watchdog/stage-timeout.js";
import type { Timers } from "../ports/timers.js";
import { RepeatingDuty } from "./repeating-duty.js";

export const RETENTION_DUTY = "retention";
const DAY_MS = 24 * 3_600_000;
/**
 * Records of reminders sent are needed only while a reminder can still fall due: a window's
 * moments for minutes, a lock's current period for as long as the period. A week covers both.
 */
const REMINDER_RECORDS_KEPT_MS = 7 * DAY_MS;
/** How often a replica asks whether the day's pruning is due; the store lets one replica do it. */
const CHECK_EVERY_MS = 3_600_000;

export interface RetentionDutyOptions {
  readonly store: Store;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly now: () => Date;
  /** How long audit rows, idempotency keys, finished requests and stage runs are kept. */
  readonly retentionMs: number;
}

/**
 * Once a day, across every replica and restart, deletes audit rows, idempotency keys, finished
 * accepted requests and stage runs older than `retention`, and records of reminders sent a week
 * ago. A stage's newest runs (as many as the watchdog's timeout is computed from) are kept however
 * old. Each replica checks hourly; the store records when the duty last ran, so exactly one of
 * them prunes per day.
 */
export class RetentionDuty {
  private readonly duty: RepeatingDuty;

  constructor(private readonly options: RetentionDutyOptions) {
    this.duty = new RepeatingDuty(options.timers, async () => {
      await this.runOnce();
      return CHECK_EVERY_MS;
    });
  }

  /** Check now, then every hour. */
  start(): void {
    this.duty.start();
  }

  /** One check: prune when this replica gets the day's turn. Never rejects. */
  async runOnce(): Promise<void> {
    const { store, logger, now, retentionMs } = this.options;
    try {
      const at = now();
      if (!(await store.claimDuty(RETENTION_DUTY, at, DAY_MS))) return;
      const before = new Date(at.getTime() - retentionMs);
      const pruned = await store.pruneHistory(before, STAGE_HISTORY);
      const reminders = await store.pruneReminders(new Date(at.getTime() - Math.min(retentionMs, REMINDER_RECORDS_KEPT_MS)));
      logger.info({ before: before.toISOString(), ...pruned, reminders }, "retention: pruned history older than the retention period");
    } catch (error) {
      logger.warn({ err: error }, "retention: pruning failed; the next hourly check tries again once the day's turn comes round");
    }
  }

  /** Resolves when the check under way (if any) is done. */
  idle(): Promise<void> {
    return this.duty.idle();
  }

  stop(): Promise<void> {
    return this.duty.stop();
  }
}
