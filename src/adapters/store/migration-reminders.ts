import type { Kysely } from "kysely";

/**
 * 0012_sent_reminders: what was sent (lock reminders, window announcements), one row per kind,
 * subject, occurrence and destination. The primary key is the claim: of the replicas that try to
 * insert the same row, one succeeds and sends. `sent_at` stays null until the post went out, so a
 * claim whose holder died (`claim_until` passed) can be taken over instead of being lost.
 */
export async function addSentReminders(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("sent_reminders")
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("subject", "text", (col) => col.notNull())
    .addColumn("occurrence", "text", (col) => col.notNull())
    .addColumn("channel", "text", (col) => col.notNull())
    .addColumn("claimed_by", "text", (col) => col.notNull())
    .addColumn("claimed_at", "text", (col) => col.notNull())
    .addColumn("claim_until", "text", (col) => col.notNull())
    .addColumn("sent_at", "text")
    .addPrimaryKeyConstraint("sent_reminders_pk", ["kind", "subject", "occurrence", "channel"])
    .execute();
  // Pruning reads old rows by when they were claimed.
  await db.schema.createIndex("sent_reminders_claimed_at").on("sent_reminders").column("claimed_at").execute();
}
