import { actorKey } from "../model/actor.js";
import { lockCovers } from "../model/lock.js";
import { describeEntries, isAdmin } from "./access-list.js";
import { allow, deny, type Decision } from "./decision.js";
import { describeLock, lockBinds, type LockScopeFacts } from "./lock-policy.js";

export interface UnlockFacts extends LockScopeFacts {
  readonly force: boolean;
}

/**
 * Who may unlock exactly (service, env): its owner, or an admin with --force. An admin's forced
 * unlock returns the lock it removed in `forcedPast`, so it is announced like any override.
 */
export function unlockPolicy(facts: UnlockFacts): Decision {
  const { config, actor, service, env, now } = facts;
  const scope = `${service}/${env}`;
  const active = facts.locks.filter((l) => lockBinds(l, now));
  const lock = active.find((l) => l.service === service && l.env === env);
  if (!lock) {
    const broader = active.find((l) => lockCovers(l, service, env));
    const hint = broader
      ? ` It is covered by ${broader.owner}'s lock on ${broader.service}/${broader.env}: \`unlock ${broader.service} ${broader.env}\` removes that one.`
      : " `deploys` shows the current locks.";
    return deny("not_found", `${scope} has no lock of its own.${hint}`);
  }
  if (lock.ownerKey === actorKey(actor)) return allow();

  const described = describeLock(lock, scope, config.timezone);
  if (isAdmin(actor, config, facts.teams)) {
    if (facts.force) return allow([deny("locked", `${described}; removed by an admin's --force.`)]);
    return deny("locked", `${described}. It is not your lock: as an admin you may remove it with \`unlock ${service} ${env} --force\`.`);
  }
  return deny(
    "locked",
    `${described}. Only ${lock.owner} or an admin (${describeEntries(config.admins)}) can unlock it: ask ${lock.owner}, ` +
      `or ask an admin to \`unlock ${service} ${env} --force\`.`,
  );
}
