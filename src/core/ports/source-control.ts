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
  /**
   * What `head` has that `base` has not (GitHub's compare of `base...head`). Absent where commits
   * cannot be compared (no GitHub configured). Throws when the lookup fails; a sha the repository
   * does not know is an answer (`unknown_commit`), not a failure.
   */
  compare?(repo: string, base: string, head: string): Promise<Comparison>;
}

/** One commit of a comparison. */
export interface ComparedCommit {
  readonly sha: string;
  /** The whole commit message: squash merges end their first line with "(#123)", merge commits start "Merge pull request #123". */
  readonly message: string;
  /** GitHub login of the commit's author, when GitHub linked it to an account. */
  readonly author?: string;
  readonly parents: readonly string[];
}

export type Comparison =
  | {
      readonly kind: "compared";
      /** `head` relative to `base`: only new commits, only missing ones, the same commit, or both. */
      readonly status: "ahead" | "behind" | "identical" | "diverged";
      readonly aheadBy: number;
      readonly behindBy: number;
      /** Up to MAX_COMPARED_COMMITS of the `aheadBy` commits, oldest first; fewer than aheadBy when the range is longer. */
      readonly commits: readonly ComparedCommit[];
      /** The same comparison on a web page. */
      readonly url?: string;
    }
  /** `base` or `head` is not in the repository, or the two share no history. */
  | { readonly kind: "unknown_commit" };

export type RepoPermission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface Identity {
  /** Why nothing can be verified here (no GitHub configured); said in every refusal it causes. */
  readonly limitation?: string;
  /** The login's permission on the repo; undefined when it cannot be known here (no GitHub). Throws when a lookup fails. */
  repoPermission(repo: string, login: string): Promise<RepoPermission | undefined>;
  /** Whether the login is in the team `org/team`; false when unknown. */
  isTeamMember(org: string, team: string, login: string): Promise<boolean>;
  /** Whether the login is a member of the organisation (who may view the dashboard); absent where nobody can be looked up. Throws when a lookup fails. */
  isOrgMember?(org: string, login: string): Promise<boolean>;
}
