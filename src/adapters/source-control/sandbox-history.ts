import { createHash } from "node:crypto";

/** One commit of a sandbox repository. */
export interface SandboxCommit {
  readonly sha: string;
  /** Oldest commit first has none; squash merges and plain commits have one. */
  readonly parents: readonly string[];
  readonly message: string;
  /** GitHub login of the author. */
  readonly author: string;
  readonly committedAt: Date;
}

/** A pull request squash-merged into the default branch. */
export interface SandboxPull {
  readonly number: number;
  readonly title: string;
  /** GitHub login of the PR's author. */
  readonly author: string;
  readonly headBranch: string;
  /** The commit the merge made on the default branch. */
  readonly mergeCommitSha: string;
  readonly mergedAt: Date;
}

export const SANDBOX_DEFAULT_BRANCH = "main";

const FULL_SHA = /^[0-9a-f]{40}$/;
/** The command grammar allows 7–40 hex digits; shorter prefixes would match too much. */
const SHORT_SHA = /^[0-9a-f]{7,39}$/;

/**
 * A small, real git history held in memory: commits with parents, branches, tags and merged pull
 * requests. Everything it answers is consistent with that history, so the sandbox refuses what
 * GitHub would refuse (an unknown branch, a sha that is not in the repository).
 */
export class SandboxHistory {
  private readonly commits = new Map<string, SandboxCommit>();
  private readonly branches = new Map<string, string>();
  private readonly tags = new Map<string, string>();
  private readonly pullList: SandboxPull[] = [];

  constructor(readonly repo: string) {}

  /** Adds a commit on `branch` (created at `parent` when new); returns its sha. */
  commit(branch: string, fields: Omit<SandboxCommit, "sha" | "parents">, options: { parent?: string } = {}): string {
    const parent = options.parent ?? this.branches.get(branch);
    if (parent !== undefined && !this.commits.has(parent)) throw new Error(`${this.repo}: parent ${parent} is not in the history`);
    const parents = parent ? [parent] : [];
    const sha = createHash("sha1").update(`whistlestop-sandbox\0${this.repo}\0${parents.join(",")}\0${fields.message}`).digest("hex");
    this.commits.set(sha, { sha, parents, ...fields });
    this.branches.set(branch, sha);
    return sha;
  }

  /** Squash-merges a pull request onto `base`: one new commit there, recorded as the PR's merge commit. */
  mergePull(base: string, pull: Omit<SandboxPull, "mergeCommitSha">): string {
    const mergeCommitSha = this.commit(base, { message: `${pull.title} (#${pull.number})`, author: pull.author, committedAt: pull.mergedAt });
    this.pullList.push({ ...pull, mergeCommitSha });
    return mergeCommitSha;
  }

  tag(name: string, sha: string): void {
    if (!this.commits.has(sha)) throw new Error(`${this.repo}: cannot tag ${sha}, it is not in the history`);
    this.tags.set(name, sha);
  }

  /**
   * The full sha a ref names, the way GitHub's commits API answers: a branch, then a tag
   * (`refs/heads/…` and `refs/tags/…` work too), then a full or unambiguous short sha of a commit
   * in this history. Anything else is undefined.
   */
  resolve(ref: string): string | undefined {
    const byName = this.branches.get(ref.replace(/^refs\/heads\//, "")) ?? this.tags.get(ref.replace(/^refs\/tags\//, ""));
    if (byName) return byName;
    const lower = ref.toLowerCase();
    if (FULL_SHA.test(lower)) return this.commits.has(lower) ? lower : undefined;
    if (!SHORT_SHA.test(lower)) return undefined;
    const matches = [...this.commits.keys()].filter((sha) => sha.startsWith(lower));
    // Like git, an ambiguous prefix names nothing.
    return matches.length === 1 ? matches[0] : undefined;
  }

  branchHead(branch: string): string | undefined {
    return this.branches.get(branch);
  }

  commitOf(sha: string): SandboxCommit | undefined {
    return this.commits.get(sha);
  }

  pulls(): readonly SandboxPull[] {
    return this.pullList;
  }

  /**
   * What `head` has that `base` does not, newest first, with the pull requests merged by those
   * commits: what a deploy of `head` over `base` would ship (GitHub's compare). Undefined when
   * either sha is not in the history.
   */
  compare(base: string, head: string): { commits: SandboxCommit[]; pulls: SandboxPull[] } | undefined {
    if (!this.commits.has(base) || !this.commits.has(head)) return undefined;
    const behind = this.ancestors(base);
    const commits = [...this.ancestors(head)].filter((sha) => !behind.has(sha)).map((sha) => this.commits.get(sha)!);
    commits.sort((a, b) => b.committedAt.getTime() - a.committedAt.getTime());
    const shipped = new Set(commits.map((c) => c.sha));
    return { commits, pulls: this.pullList.filter((pull) => shipped.has(pull.mergeCommitSha)) };
  }

  /** `sha` and every commit it descends from. */
  private ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const pending = [sha];
    while (pending.length > 0) {
      const next = pending.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      pending.push(...(this.commits.get(next)?.parents ?? []));
    }
    return seen;
  }
}
