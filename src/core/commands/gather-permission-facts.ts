import type { Actor } from "../model/actor.js";
import type { Target } from "../model/config.js";
import { parseTeamEntry, teamEntriesToCheck } from "../policies/access-list.js";
import type { RepoPermission } from "../ports/source-control.js";
import type { CommandDeps } from "./command-deps.js";

export interface PermissionLookups {
  readonly repoPermission?: RepoPermission;
  /** Why repoPermission could not be verified (no GitHub, a failed lookup). */
  readonly unverifiedBecause?: string;
  readonly teams: ReadonlySet<string>;
}

/**
 * Ask GitHub (through the Identity port) what the permission rules need to know about the actor.
 * API clients are never looked up (their name is not a login); an unmapped Slack user has no login
 * to look up. A lookup that fails is an unknown, never a yes: the rules then want an explicit entry.
 * `extraEntries`: more access entries whose teams matter (a target's approvers).
 */
export async function gatherPermissionFacts(
  deps: Pick<CommandDeps, "identity" | "config" | "logger">,
  actor: Actor,
  target?: Target,
  extraEntries: readonly string[] = [],
): Promise<PermissionLookups> {
  const login = actor.apiClient ? undefined : actor.login;
  if (!login) return { teams: new Set() };
  const failures: string[] = [];
  const failed = (error: unknown): undefined => {
    deps.logger.warn({ err: error, login }, "a GitHub permission lookup failed; treated as not verified");
    failures.push(error instanceof Error ? error.message : String(error));
    return undefined;
  };
  const entries = teamEntriesToCheck(deps.config, target, extraEntries);
  const [repoPermission, memberships] = await Promise.all([
    target ? deps.identity.repoPermission(target.repo, login).catch(failed) : Promise.resolve(undefined),
    Promise.all(
      entries.map(async (entry) => {
        const team = parseTeamEntry(entry)!;
        const member = await deps.identity.isTeamMember(team.org, team.team, login).catch(failed);
        return member ? entry : undefined;
      }),
    ),
  ]);
  const teams = new Set(memberships.filter((e): e is string => e !== undefined));
  if (repoPermission !== undefined) return { repoPermission, teams };
  const because = failures[0] ?? deps.identity.limitation;
  return because ? { teams, unverifiedBecause: because } : { teams };
}
