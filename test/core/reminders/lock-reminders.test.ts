import type { EnvironmentSettings } from "../../../src/core/model/config.js";
import type { Lock } from "../../../src/core/model/lock.js";
import { dueLockReminders, lockReminderCommands, lockReminderPeriod, nextLockReminderAt } from "../../../src/core/reminders/lock-reminders.js";
import { aLock } from "../../kit/builders.js";
import { testConfig } from "../harness.js";

const H = 3_600_000;
const env = (settings: Partial<EnvironmentSettings> = {}): EnvironmentSettings => ({ confirm: false, deployers: [], enforceInPipeline: false, ...settings });
const config = testConfig({
  environments: { staging: env({ lockReminderMs: false }), prod: env({ lockReminderMs: 90 * 60_000 }), dev: env() },
  services: {
    donations: { repo: "hfa/donations", onMerge: [], environments: { prod: { lockReminderMs: 60_000 } } },
    events: { repo: "hfa/events", onMerge: [], environments: {} },
  },
});
const SINCE = "2026-11-03T14:00:00.000Z";
const after = (ms: number) => new Date(Date.parse(SINCE) + ms);
const lock = (overrides: Partial<Lock> = {}): Lock => aLock({ service: "events", env: "dev", createdAt: SINCE, ...overrides });

describe("lock reminders", () => {
  it.each<[string, string, number | undefined, string]>([
    ["events", "dev", 4 * H, "the default, 4h"],
    ["events", "prod", 1.5 * H, "the environment's"],
    ["donations", "prod", 60_000, "the service environment's"],
    ["events", "staging", undefined, "off"],
    ["all", "prod", 1.5 * H, "a lock on all services: the environment's"],
    ["events", "all", 1.5 * H, "a lock on all environments: the shortest that is on"],
    ["all", "all", 1.5 * H, "everything: the shortest of the environments"],
    ["gone", "prod", 4 * H, "a service no longer configured: the default, so the lock is still noticed"],
  ])("%s/%s is reminded every %p ms (%s)", (service, envName, expected, _why) => {
    expect(lockReminderPeriod(config, { service, env: envName })).toBe(expected);
  });

  it("fall due once per whole period held, the latest one only, while the lock is active", () => {
    const due = (l: Lock, ms: number) => dueLockReminders(config, [l], after(ms)).map((d) => d.nth);
    expect(due(lock(), 4 * H - 1)).toEqual([]);
    expect(due(lock(), 4 * H)).toEqual([1]);
    expect(due(lock(), 8 * H - 1)).toEqual([1]);
    expect(due(lock(), 13 * H)).toEqual([3]);
    expect(due(lock({ env: "staging" }), 13 * H)).toEqual([]);
    expect(due(lock({ expiresAt: after(5 * H).toISOString() }), 5 * H)).toEqual([]);
  });

  it("wake the duty at the next period's end, not for a lock that expires first", () => {
    expect(nextLockReminderAt(config, [lock()], after(H))?.toISOString()).toBe(after(4 * H).toISOString());
    expect(nextLockReminderAt(config, [lock()], after(4 * H))?.toISOString()).toBe(after(8 * H).toISOString());
    expect(nextLockReminderAt(config, [lock(), lock({ service: "donations", env: "prod" })], after(90_000))?.toISOString()).toBe(after(120_000).toISOString());
    expect(nextLockReminderAt(config, [lock({ expiresAt: after(3 * H).toISOString() })], after(H))).toBeUndefined();
    expect(nextLockReminderAt(config, [lock({ env: "staging" })], after(H))).toBeUndefined();
  });

  it("offer Unlock and Extend 2h; Extend never shortens a lock that already lasts longer", () => {
    expect(lockReminderCommands(lock(), after(4 * H))).toEqual({ unlock: "unlock events dev", extend: "lock events dev for 2h" });
    expect(lockReminderCommands(lock({ expiresAt: after(5 * H).toISOString() }), after(4 * H)).extend).toBe("lock events dev for 2h");
    expect(lockReminderCommands(lock({ expiresAt: after(10 * H).toISOString() }), after(4 * H)).extend).toBe(`lock events dev until ${after(12 * H).toISOString()}`);
    expect(lockReminderCommands(lock({ service: "all", env: "prod" }), after(4 * H)).unlock).toBe("unlock all prod");
  });
});
