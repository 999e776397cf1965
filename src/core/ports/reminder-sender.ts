import type { Interval, WindowConfig } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import type { Lock } from "../model/lock.js";
import type { WindowMomentKind } from "../reminders/window-moments.js";

/** A direct message to a lock's owner: how long it has been held, and what its buttons run. */
export interface LockReminderMessage {
  readonly lock: Lock;
  readonly heldMs: number;
  readonly periodMs: number;
  /** Command texts the buttons run as the person who clicks (unlock, and lock … for 2h). */
  readonly unlockCommand: string;
  readonly extendCommand: string;
  readonly now: Date;
}

/** One announcement of one window occurrence. */
export interface WindowNoticeMessage {
  readonly kind: WindowMomentKind;
  readonly window: Pick<WindowConfig, "name" | "reason" | "environments" | "services">;
  readonly occurrence: Interval;
  /** At the end: the queued deploys it releases, in the order they start. */
  readonly released: readonly Deploy[];
  readonly now: Date;
}

/** Posted; or refused for good by the destination (unknown channel, not a member): not tried again. */
export type SendOutcome = "sent" | "refused";

/**
 * Where reminders go out (Slack). A send that throws failed for a reason worth retrying (the chat
 * service is down); the reminder is then tried again at the next round.
 */
export interface ReminderSender {
  sendLockReminder(userId: string, message: LockReminderMessage): Promise<SendOutcome>;
  sendWindowNotice(channel: string, message: WindowNoticeMessage): Promise<SendOutcome>;
}
