/**
 * One reminder as the store knows it: what kind, about what (a lock's scope, a window's name),
 * which occurrence (a lock's Nth period, a window's start), and where it goes (a Slack channel or
 * user). The four together are unique: a message is sent once per key across every replica.
 */
export interface ReminderKey {
  readonly kind: string;
  readonly subject: string;
  readonly occurrence: string;
  readonly channel: string;
}

/**
 * The record of reminders sent. A sender claims a key before it posts and marks it sent after; a
 * claim whose holder died before marking it runs out, and another replica may take it over. So a
 * reminder is never lost to a crash, and two replicas never both post it.
 */
export interface ReminderStore {
  /**
   * True for exactly one caller: the key was absent (now recorded, held by `claimant` until
   * `until`), or recorded but never sent and its holder's claim ran out by `now`.
   */
  claimReminder(key: ReminderKey, claimant: string, now: Date, until: Date): Promise<boolean>;
  /** The claimant posted it (or the destination refused it for good): it is never claimed again. */
  markReminderSent(key: ReminderKey, claimant: string, at: Date): Promise<void>;
  /** The post failed for a reason worth retrying: the claimant gives the key back at once. */
  releaseReminder(key: ReminderKey, claimant: string): Promise<void>;
  /** Delete records claimed before `before` (none of them can fall due again); returns how many. */
  pruneReminders(before: Date): Promise<number>;
}
