import { actorKey } from "../model/actor.js";
import type { Target } from "../model/config.js";
import { ALL } from "../model/lock.js";
import type { RepoPermission } from "../ports/source-control.js";
import { describeEntries, isAdmin } from "./access-list.js";
import { allow, deny, type Decision } from "./decision.js";
import { describeLock, lockBinds, type LockScopeFacts } from "./lock-policy.js";
import { permissionPolicy } from "./permission-policy.js";

export interface LockCommandFacts extends LockScopeFacts {
  /** The resolved (service, env) when neither is "all". */
  readonly target?: Target;
  readonly repoPermission?: RepoPermission;
  readonly unverifiedBecause?: string;
}

/**
 * Who may lock: anyone who may deploy there (same permission rule); an `all` scope stops many
 * teams at once, so only admins. Someone else's active lock on exactly that scope must be
 * unlocked first; the owner's own lock is extended.
 */
export function lockCommandPolicy(facts: LockCommandFacts): Decision {
  const { config, actor, teams, service, env } = facts;
  const scope = `${service}/${env}`;
  if (service === ALL || env === ALL) {
    if (!isAdmin(actor, config, teams)) {
      return deny(
        "permission_denied",
        `Only admins (${describeEntries(config.admins)}) may lock ${scope}: it stops deploys of many services. ` +
          `Ask an admin, or lock a single service and environment, e.g. \`lock <service> <env>\`.`,
      );
    }
  } else {
    if (!facts.target) return deny("unknown_service", `${scope} is not a configured service and environment. Run \`help\` to see what exists.`);
    const { repoPermission, unverifiedBecause } = facts;
    const permission = permissionPolicy({ config, actor, teams, target: facts.target, repoPermission, unverifiedBecause }, "lock");
    if (!permission.allowed) return permission;
  }

  const held = facts.locks.find((l) => l.service === service && l.env === env && lockBinds(l, facts.now) && l.ownerKey !== actorKey(actor));
  if (held) {
    return deny(
      "locked",
      `${describeLock(held, scope, config.timezone)}. Ask ${held.owner} to \`unlock ${service} ${env}\`, ` +
        `or, if you are an admin, \`unlock ${service} ${env} --force\` first.`,
    );
  }
  return allow();
}
