import type { ReminderKey } from "../../src/core/ports/reminder-store.js";

interface ReminderRow {
  claimedBy: string;
  claimedAt: string;
  claimUntil: string;
  sentAt?: string;
}

const rowKey = (key: ReminderKey): string => JSON.stringify([key.kind, key.subject, key.occurrence, key.channel]);

/** The sent_reminders rows of the in-memory database, with the rules of reminder-queries.ts. */
export class MemoryReminders {
  readonly rows = new Map<string, ReminderRow>();

  claim(key: ReminderKey, claimant: string, now: Date, until: Date): boolean {
    const row = this.rows.get(rowKey(key));
    if (row && (row.sentAt !== undefined || row.claimUntil > now.toISOString())) return false;
    this.rows.set(rowKey(key), { claimedBy: claimant, claimedAt: now.toISOString(), claimUntil: until.toISOString() });
    return true;
  }

  markSent(key: ReminderKey, claimant: string, at: Date): void {
    const row = this.rows.get(rowKey(key));
    if (row && row.claimedBy === claimant && row.sentAt === undefined) row.sentAt = at.toISOString();
  }

  release(key: ReminderKey, claimant: string): void {
    const row = this.rows.get(rowKey(key));
    if (row && row.claimedBy === claimant && row.sentAt === undefined) this.rows.delete(rowKey(key));
  }

  prune(before: Date): number {
    let pruned = 0;
    for (const [key, row] of this.rows) if (row.claimedAt < before.toISOString() && this.rows.delete(key)) pruned++;
    return pruned;
  }
}
