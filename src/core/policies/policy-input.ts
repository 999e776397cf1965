import type { Actor } from "../model/actor.js";
import type { Target, WhistlestopConfig } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import type { Lock } from "../model/lock.js";
import type { RepoPermission } from "../ports/source-control.js";

export type PolicyAction = "deploy" | "rollback";

/**
 * Everything a deploy or rollback decision needs, gathered by the caller beforehand so the
 * policies do no I/O and can be tested as plain tables.
 */
export interface PolicyInput {
  readonly now: Date;
  readonly config: WhistlestopConfig;
  /** The resolved (service, env); unknown names are refused before the policies run. */
  readonly target: Target;
  readonly action: PolicyAction;
  readonly actor: Actor;
  /** The actor's permission on target.repo; undefined when it cannot be verified (no GitHub, a failed lookup) or for API clients. */
  readonly repoPermission?: RepoPermission;
  /** Why repoPermission is undefined, in words for the refusal ("GitHub is not configured …"). */
  readonly unverifiedBecause?: string;
  /** The `@org/team` entries (from deployers and admins) the actor belongs to; see teamEntriesToCheck. */
  readonly teams: ReadonlySet<string>;
  /** Locks as read from the store; expired ones are ignored. */
  readonly locks: readonly Lock[];
  /** The full sha to deploy. */
  readonly sha: string;
  /**
   * Whether `sha` ever succeeded in target.promoteFrom. Must be set when target.promoteFrom is set:
   * an unknown answer is refused (fail closed).
   */
  readonly shaSucceededInPromoteFrom?: boolean;
  /** The deploy holding the running slot of (service, env), if any; only `concurrency: reject` needs it. */
  readonly running?: Deploy;
  readonly force: boolean;
  readonly forceReason?: string;
  /** Set on Whistlestop's own rollback of this failed deploy (on_failure: rollback); see decide.ts. */
  readonly automaticRollbackOf?: string;
}

/** The facts the permission rules need (also used by lock/unlock, where there may be no single target). */
export type PermissionFacts = Pick<PolicyInput, "config" | "target" | "actor" | "repoPermission" | "unverifiedBecause" | "teams">;
