/** Resolves refs to full shas and answers who may deploy (GitHub, or the sandbox's offline stand-in). */
export interface SourceControl {
  /** Full 40-hex sha of a branch, tag or (short) sha; undefined when it does not exist. */
  resolveRef(repo: string, ref: string): Promise<string | undefined>;
  /** Head sha of the repository's default branch. */
  defaultBranchHead(repo: string): Promise<string | undefined>;
  /**
   * What this source control cannot resolve and what would lift that (e.g. no GitHub App
   * configured); added to every bad_ref refusal so the person knows what to do.
   */
  readonly limitation?: string;
}

export type RepoPermission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface Identity {
  /** Why nothing can be verified here (no GitHub configured); said in every refusal it causes. */
  readonly limitation?: string;
  /** The login's permission on the repo; undefined when it cannot be known here (no GitHub). Throws when a lookup fails. */
  repoPermission(repo: string, login: string): Promise<RepoPermission | undefined>;
  /** Whether the login is in the team `org/team`; false when unknown. */
  isTeamMember(org: string, team: string, login: string): Promise<boolean>;
}
