import type { ReminderKey } from "../../../src/core/ports/reminder-store.js";
import type { StoreHarness } from "../store-harness.js";
import { atDate, unique } from "../deploy-fixtures.js";

const LONG_AGO = new Date("2020-06-01T00:00:00.000Z");
const CUTOFF = new Date("2021-01-01T00:00:00.000Z");

/** The record of reminders sent: one claim per key across replicas, a dead holder's claim taken over. */
export function reminderCases(harness: () => StoreHarness): void {
  const store = () => harness().store;
  const aKey = (overrides: Partial<ReminderKey> = {}): ReminderKey => ({
    kind: "window_start",
    subject: unique("Election night"),
    occurrence: "2026-11-03T23:00:00.000Z",
    channel: "C0DONATIONS",
    ...overrides,
  });

  describe("sent reminders", () => {
    it("are claimed by exactly one of several replicas at once", async () => {
      const key = aKey();
      const other = await harness().openAnother();
      const claims = await Promise.all([
        store().claimReminder(key, "replica-a", atDate(0), atDate(2)),
        other.claimReminder(key, "replica-b", atDate(0), atDate(2)),
        store().claimReminder(key, "replica-c", atDate(0), atDate(2)),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it("tell each part of the key apart: another channel, occurrence, subject or kind is another reminder", async () => {
      const key = aKey();
      expect(await store().claimReminder(key, "replica-a", atDate(0), atDate(2))).toBe(true);
      for (const other of [{ channel: "C0ANNOUNCE" }, { occurrence: "2026-11-04T23:00:00.000Z" }, { subject: unique("Debate") }, { kind: "window_end" }]) {
        expect(await store().claimReminder({ ...key, ...other }, "replica-a", atDate(0), atDate(2))).toBe(true);
      }
    });

    it("once sent are never claimed again, even long after the claim ran out", async () => {
      const key = aKey();
      expect(await store().claimReminder(key, "replica-a", atDate(0), atDate(2))).toBe(true);
      await store().markReminderSent(key, "replica-a", atDate(1));
      expect(await store().claimReminder(key, "replica-b", atDate(60), atDate(62))).toBe(false);
      expect(await store().claimReminder(key, "replica-a", atDate(60), atDate(62))).toBe(false);
    });

    it("claimed by a replica that died before sending are taken over once the claim runs out, by one replica", async () => {
      const key = aKey();
      expect(await store().claimReminder(key, "dead", atDate(0), atDate(2))).toBe(true);
      expect(await store().claimReminder(key, "replica-b", atDate(1), atDate(3))).toBe(false);
      const other = await harness().openAnother();
      const takeovers = await Promise.all([store().claimReminder(key, "replica-b", atDate(2), atDate(4)), other.claimReminder(key, "replica-c", atDate(2), atDate(4))]);
      expect(takeovers.filter(Boolean)).toHaveLength(1);
      // The dead holder waking up cannot mark the new holder's claim as its own send.
      await store().markReminderSent(key, "dead", atDate(3));
      const holder = takeovers[0] ? "replica-b" : "replica-c";
      await store().markReminderSent(key, holder, atDate(3));
      expect(await store().claimReminder(key, "dead", atDate(10), atDate(12))).toBe(false);
    });

    it("given back after a failed post can be claimed again at once; a sent one cannot be given back", async () => {
      const key = aKey();
      expect(await store().claimReminder(key, "replica-a", atDate(0), atDate(2))).toBe(true);
      await store().releaseReminder(key, "replica-b");
      expect(await store().claimReminder(key, "replica-b", atDate(0), atDate(2))).toBe(false);
      await store().releaseReminder(key, "replica-a");
      expect(await store().claimReminder(key, "replica-b", atDate(0), atDate(2))).toBe(true);
      await store().markReminderSent(key, "replica-b", atDate(1));
      await store().releaseReminder(key, "replica-b");
      expect(await store().claimReminder(key, "replica-a", atDate(5), atDate(7))).toBe(false);
    });

    it("claimed before the cutoff are pruned, newer ones kept", async () => {
      const old = aKey();
      const recent = aKey();
      await store().claimReminder(old, "replica-a", LONG_AGO, new Date(LONG_AGO.getTime() + 60_000));
      await store().markReminderSent(old, "replica-a", LONG_AGO);
      await store().claimReminder(recent, "replica-a", atDate(0), atDate(2));
      expect(await store().pruneReminders(CUTOFF)).toBe(1);
      expect(await store().claimReminder(old, "replica-b", atDate(0), atDate(2))).toBe(true);
      expect(await store().claimReminder(recent, "replica-b", atDate(0), atDate(2))).toBe(false);
      expect(await store().pruneReminders(CUTOFF)).toBe(0);
    });
  });
}
