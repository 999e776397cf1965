import type { Identity, RepoPermission } from "../../core/ports/source-control.js";
import { describeFailure, isNotFound, splitRepo, statusOf, type GitHubRequest } from "./github-request.js";
import { TtlCache } from "./ttl-cache.js";

export interface IdentityClients {
  forRepo(repo: string): Promise<GitHubRequest>;
  forOrg(org: string): Promise<GitHubRequest>;
}

const ROLES: ReadonlySet<string> = new Set(["admin", "maintain", "write", "triage", "read", "none"]);

/**
 * Who may do what, asked of GitHub: the collaborator permission API for repo access and team
 * membership for `@org/team` entries. Answers are cached briefly (default one minute): a permission
 * change takes effect within that time, and a burst of commands costs one lookup.
 */
export class GitHubIdentity implements Identity {
  private readonly permissions: TtlCache<RepoPermission>;
  private readonly memberships: TtlCache<boolean>;
  private readonly orgMemberships: TtlCache<boolean>;

  constructor(
    private readonly clients: IdentityClients,
    options: { ttlMs?: number; now?: () => number } = {},
  ) {
    const now = options.now ?? Date.now;
    this.permissions = new TtlCache(options.ttlMs ?? 60_000, now);
    this.memberships = new TtlCache(options.ttlMs ?? 60_000, now);
    this.orgMemberships = new TtlCache(options.ttlMs ?? 60_000, now);
  }

  repoPermission(repo: string, login: string): Promise<RepoPermission | undefined> {
    return this.permissions.get(`${repo}#${login}`.toLowerCase(), () => this.lookUpPermission(repo, login));
  }

  /**
   * GitHub just showed that `login` has at least write access to `repo` (they merged a pull
   * request into it): no lookup needed for the next minute.
   */
  vouchWriteAccess(repo: string, login: string): void {
    this.permissions.seed(`${repo}#${login}`.toLowerCase(), "write");
  }

  isTeamMember(org: string, team: string, login: string): Promise<boolean> {
    return this.memberships.get(`${org}/${team}#${login}`.toLowerCase(), () => this.lookUpMembership(org, team, login));
  }

  isOrgMember(org: string, login: string): Promise<boolean> {
    return this.orgMemberships.get(`${org}#${login}`.toLowerCase(), () => this.lookUpOrgMembership(org, login));
  }

  /** 204: a member; 404 (or a redirect, which GitHub sends callers outside the org): not one. */
  private async lookUpOrgMembership(org: string, login: string): Promise<boolean> {
    const request = await this.clients.forOrg(org);
    try {
      const { status } = await request("GET /orgs/{org}/members/{username}", { org, username: login });
      return status === 204;
    } catch (error) {
      if (isNotFound(error) || statusOf(error) === 302) return false;
      throw new Error(`Could not check whether ${login} is a member of ${org} on GitHub (${describeFailure(error)}). Try again in a minute.`, { cause: error });
    }
  }

  private async lookUpPermission(repo: string, login: string): Promise<RepoPermission> {
    const request = await this.clients.forRepo(repo);
    try {
      const { data } = await request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { ...splitRepo(repo), username: login });
      const { permission, role_name: role } = data as { permission?: string; role_name?: string };
      // role_name tells maintain and triage apart; `permission` folds them into write and read.
      if (role && ROLES.has(role)) return role as RepoPermission;
      return permission && ROLES.has(permission) ? (permission as RepoPermission) : "none";
    } catch (error) {
      // Not a collaborator (or no such user): no access, which is an answer, not a failure.
      if (isNotFound(error)) return "none";
      throw new Error(`Could not check ${login}'s access to ${repo} on GitHub (${describeFailure(error)}). Try again in a minute.`, { cause: error });
    }
  }

  private async lookUpMembership(org: string, team: string, login: string): Promise<boolean> {
    const request = await this.clients.forOrg(org);
    try {
      const { data } = await request("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", { org, team_slug: team, username: login });
      // An invitation not yet accepted is "pending": not a member yet.
      return (data as { state?: string }).state === "active";
    } catch (error) {
      if (isNotFound(error)) return false;
      throw new Error(`Could not check whether ${login} is in @${org}/${team} on GitHub (${describeFailure(error)}). Try again in a minute.`, { cause: error });
    }
  }
}
