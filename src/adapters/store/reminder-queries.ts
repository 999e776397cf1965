import type { ReminderKey } from "../../core/ports/reminder-store.js";
import { write, type StoreContext } from "./store-context.js";

/** The row of one reminder: its columns as values to insert, or as a filter (all equal). */
const byKey = (key: ReminderKey) => ({ kind: key.kind, subject: key.subject, occurrence: key.occurrence, channel: key.channel });

/**
 * Insert the row held by `claimant`; when it is there already, take it over only if it was never
 * sent and its claim ran out. On PostgreSQL the conditional UPDATE re-checks its WHERE once it
 * holds the row, and SQLite has one writer, so of two claimants exactly one wins.
 */
export function claimReminder(ctx: StoreContext, key: ReminderKey, claimant: string, now: Date, until: Date): Promise<boolean> {
  const claim = { claimed_by: claimant, claimed_at: now.toISOString(), claim_until: until.toISOString() };
  return write(ctx, async (trx) => {
    const inserted = await trx
      .insertInto("sent_reminders")
      .values({ ...byKey(key), ...claim, sent_at: null })
      .onConflict((oc) => oc.columns(["kind", "subject", "occurrence", "channel"]).doNothing())
      .returning("kind")
      .executeTakeFirst();
    if (inserted) return true;
    const taken = await trx
      .updateTable("sent_reminders")
      .set(claim)
      .where((eb) => eb.and(byKey(key)))
      .where("sent_at", "is", null)
      .where("claim_until", "<=", now.toISOString())
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1;
  });
}

export async function markReminderSent(ctx: StoreContext, key: ReminderKey, claimant: string, at: Date): Promise<void> {
  await write(ctx, (trx) =>
    trx
      .updateTable("sent_reminders")
      .set({ sent_at: at.toISOString() })
      .where((eb) => eb.and(byKey(key)))
      .where("claimed_by", "=", claimant)
      .where("sent_at", "is", null)
      .execute(),
  );
}

/** Only the holder's unsent row goes: a row someone else took over, or one already sent, stays. */
export async function releaseReminder(ctx: StoreContext, key: ReminderKey, claimant: string): Promise<void> {
  await write(ctx, (trx) =>
    trx
      .deleteFrom("sent_reminders")
      .where((eb) => eb.and(byKey(key)))
      .where("claimed_by", "=", claimant)
      .where("sent_at", "is", null)
      .execute(),
  );
}

export async function pruneReminders(ctx: StoreContext, before: Date): Promise<number> {
  const deleted = await write(ctx, (trx) => trx.deleteFrom("sent_reminders").where("claimed_at", "<", before.toISOString()).executeTakeFirst());
  return Number(deleted.numDeletedRows);
}
