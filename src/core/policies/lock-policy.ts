import { actorKey, type Actor } from "../model/actor.js";
import type { WhistlestopConfig } from "../model/config.js";
import { ALL, lockCovers, type Lock } from "../model/lock.js";
import { allow, deny, type Decision, type Deny } from "./decision.js";
import { formatMoment } from "./format-moment.js";
import type { PolicyInput } from "./policy-input.js";

/** What `lock` and `unlock` are decided on: who asks, for which scope, and the locks there are. */
export interface LockScopeFacts {
  readonly now: Date;
  readonly config: WhistlestopConfig;
  readonly actor: Actor;
  readonly teams: ReadonlySet<string>;
  /** A service name or "all". */
  readonly service: string;
  /** An environment name or "all". */
  readonly env: string;
  readonly locks: readonly Lock[];
}

/**
 * Whose request it is: the Actor asking now, or the owner key recorded on a queued deploy (its
 * requester's actorKey, so a lock's owner keeps deploying through their own lock however they were named).
 */
export type LockFacts = Pick<PolicyInput, "now" | "config" | "target" | "locks"> & ({ readonly actor: PolicyInput["actor"] } | { readonly ownerKey: string });

/** exact > service/all > all/env > all/all: the most specific lock is the one people think of. */
export function lockSpecificity(lock: Lock): number {
  return (lock.service === ALL ? 0 : 2) + (lock.env === ALL ? 0 : 1);
}

/** Whether a lock still binds at `now`. A lock whose expiry cannot be read binds: fail closed. */
export function lockBinds(lock: Lock, now: Date): boolean {
  return lock.expiresAt === undefined || !(Date.parse(lock.expiresAt) <= now.getTime());
}

/** The active lock covering (service, env) held by someone other than `ownerKey`, most specific first. */
export function blockingLock(locks: readonly Lock[], service: string, env: string, ownerKey: string, now: Date): Lock | undefined {
  return locks
    .filter((l) => lockBinds(l, now) && lockCovers(l, service, env) && l.ownerKey !== ownerKey)
    .sort((a, b) => lockSpecificity(b) - lockSpecificity(a))[0];
}

/** Policy step 3 (`locked`): a lock refuses everyone but its owner. */
export function lockPolicy(facts: LockFacts): Decision {
  const { target, now } = facts;
  const owner = "ownerKey" in facts ? facts.ownerKey : actorKey(facts.actor);
  const lock = blockingLock(facts.locks, target.service, target.env, owner, now);
  return lock ? lockedDenial(lock, `${target.service}/${target.env}`, facts.config.timezone) : allow();
}

/** "donations/prod is locked (lock on all/prod) by alice since Tue Nov 3 14:02 EST until 18:00 EST (debate prep)" */
export function describeLock(lock: Lock, where: string, timeZone: string): string {
  const since = new Date(lock.createdAt);
  const scope = `${lock.service}/${lock.env}`;
  const via = scope === where ? "" : ` (lock on ${scope})`;
  const until = lock.expiresAt ? `until ${formatMoment(new Date(lock.expiresAt), timeZone, since)}` : "until unlocked";
  const reason = lock.reason ? ` (${lock.reason})` : "";
  return `${where} is locked${via} by ${lock.owner} since ${formatMoment(since, timeZone)} ${until}${reason}`;
}

/** The refusal a deploy or rollback gets from someone else's lock, with what to do next. */
export function lockedDenial(lock: Lock, where: string, timeZone: string): Deny {
  const wait = lock.expiresAt ? ", wait until it expires" : "";
  return deny(
    "locked",
    `${describeLock(lock, where, timeZone)}. ` +
      `Ask ${lock.owner} to \`unlock ${lock.service} ${lock.env}\`${wait}, or, if you are an admin, add --force --reason "…".`,
  );
}
