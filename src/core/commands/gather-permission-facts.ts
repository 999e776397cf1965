import type { Actor } from "../model/actor.js";
import type { Target } from "../model/config.js";
import { parseTeamEntry, teamEntriesToCheck } from "../policies/access-list.js";
import type { RepoPermission } from "../ports/source-control.js";
import type { CommandDeps } from "./command-deps.js";

export interface PermissionLookups {
  readonly repoPermission?: RepoPermission;
  readonly teams: ReadonlySet<string>;
}

/**
 * Ask GitHub (through the Identity port) what the permission rules need to know about the actor.
 * API tokens are never looked up (SPEC §7); an unmapped Slack user has no login to look up.
 */
export async function gatherPermissionFacts(
  deps: Pick<CommandDeps, "identity" | "config">,
  actor: Actor,
  target?: Target,
): Promise<PermissionLookups> {
  const login = actor.surface === "api" ? undefined : actor.login;
  if (!login) return { teams: new Set() };
  const entries = teamEntriesToCheck(deps.config, target);
  const [repoPermission, memberships] = await Promise.all([
    target ? deps.identity.repoPermission(target.repo, login) : Promise.resolve(undefined),
    Promise.all(
      entries.map(async (entry) => {
        const team = parseTeamEntry(entry)!;
        return (await deps.identity.isTeamMember(team.org, team.team, login)) ? entry : undefined;
      }),
    ),
  ]);
  const teams = new Set(memberships.filter((e): e is string => e !== undefined));
  return repoPermission === undefined ? { teams } : { repoPermission, teams };
}
