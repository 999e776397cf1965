import { DEFAULT_LOCK_REMINDER_MS, type WhistlestopConfig } from "../model/config.js";
import { ALL, lockActive, type Lock } from "../model/lock.js";
import { resolveTarget } from "../model/resolve-target.js";

/** A lock that has been held a whole number of reminder periods: its owner is reminded once for each. */
export interface DueLockReminder {
  readonly lock: Lock;
  readonly periodMs: number;
  /** 1 for the first reminder (held one period), 2 for the second… */
  readonly nth: number;
  readonly heldMs: number;
}

/** What the reminder's Extend button adds. */
export const LOCK_EXTENSION_MS = 2 * 3_600_000;

/**
 * How often a lock's owner is reminded, or undefined for never. A lock on one service and
 * environment follows that pair's `lock_reminder`. A lock on `all` services follows the
 * environment's; a lock on `all` environments the shortest setting among those it covers (it stops
 * the most urgent of them), and no reminder only when every one of them is off.
 */
export function lockReminderPeriod(config: WhistlestopConfig, lock: Pick<Lock, "service" | "env">): number | undefined {
  const envs = lock.env === ALL ? Object.keys(config.environments) : [lock.env];
  const settings = envs.map((env) => {
    if (lock.service !== ALL) return resolveTarget(config, lock.service, env)?.lockReminderMs;
    return Object.hasOwn(config.environments, env) ? config.environments[env]!.lockReminderMs : undefined;
  });
  const periods = settings.map((ms) => (ms === undefined ? DEFAULT_LOCK_REMINDER_MS : ms)).filter((ms): ms is number => ms !== false && ms > 0);
  return periods.length > 0 ? Math.min(...periods) : undefined;
}

/**
 * The reminder each active lock is due at `now`: the latest whole period it has been held. A
 * replica that was down through several periods sends the current one only, not a backlog.
 */
export function dueLockReminders(config: WhistlestopConfig, locks: readonly Lock[], now: Date): DueLockReminder[] {
  return locks.flatMap((lock) => {
    const periodMs = lockReminderPeriod(config, lock);
    const since = Date.parse(lock.createdAt);
    if (periodMs === undefined || Number.isNaN(since) || !lockActive(lock, now)) return [];
    const heldMs = now.getTime() - since;
    const nth = Math.floor(heldMs / periodMs);
    return nth >= 1 ? [{ lock, periodMs, nth, heldMs }] : [];
  });
}

/** When the next reminder of any of these locks falls due, to wake up for; undefined when none will. */
export function nextLockReminderAt(config: WhistlestopConfig, locks: readonly Lock[], now: Date): Date | undefined {
  const times = locks.flatMap((lock) => {
    const periodMs = lockReminderPeriod(config, lock);
    const since = Date.parse(lock.createdAt);
    if (periodMs === undefined || Number.isNaN(since)) return [];
    const next = since + (Math.floor((now.getTime() - since) / periodMs) + 1) * periodMs;
    return lock.expiresAt !== undefined && Date.parse(lock.expiresAt) <= next ? [] : [next];
  });
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}

/**
 * The commands a reminder's buttons run, as the clicker, through the usual checks. Extend keeps
 * the lock two more hours from the click; a lock already set to last beyond that gets two hours
 * added to its end instead, so the button never shortens it.
 */
export function lockReminderCommands(lock: Lock, now: Date): { readonly unlock: string; readonly extend: string } {
  const scope = `${lock.service} ${lock.env}`;
  const end = lock.expiresAt !== undefined ? Date.parse(lock.expiresAt) : undefined;
  const extend =
    end !== undefined && end > now.getTime() + LOCK_EXTENSION_MS ? `lock ${scope} until ${new Date(end + LOCK_EXTENSION_MS).toISOString()}` : `lock ${scope} for 2h`;
  return { unlock: `unlock ${scope}`, extend };
}
