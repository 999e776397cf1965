import { MAX_LISTED_PULLS, type ChangeSet, type ChangeSetDirection } from "../model/change-set.js";
import type { Clock } from "../ports/clock.js";
import type { Comparison, SourceControl } from "../ports/source-control.js";
import { LruCache } from "./lru-cache.js";
import { mergedPulls } from "./merged-pulls.js";

/** What to compare: the release live in an environment and the sha that would replace it. */
export interface ChangeSetRequest {
  readonly repo: string;
  /** The sha live in the environment; undefined when nothing is (a first deploy). */
  readonly liveSha?: string;
  /** The sha going out. */
  readonly sha: string;
  /** `takes_out` for a rollback: it lists what leaves the environment. */
  readonly direction: ChangeSetDirection;
}

/** Comparisons of two shas never change; a few thousand cover every live service many times over. */
export const DEFAULT_COMPARE_CACHE_SIZE = 2_000;

const flip = (direction: ChangeSetDirection): ChangeSetDirection => (direction === "ships" ? "takes_out" : "ships");

/**
 * Turns a comparison of two shas into a ChangeSet. Never throws: a compare that fails or cannot be
 * made yields a change set that says so, because what ships is information and never holds up a
 * deploy. Comparisons are cached by (repo, base, head), so a deploy costs at most one compare call
 * and a promotion of what staging got costs none when the same range was compared before.
 */
export class ChangeSetBuilder {
  private readonly cache: LruCache<Comparison>;

  constructor(
    private readonly sourceControl: SourceControl,
    private readonly clock: Clock,
    cacheSize = DEFAULT_COMPARE_CACHE_SIZE,
  ) {
    // A sha GitHub does not know yet (a push still replicating) may be known a minute later: only real comparisons are kept.
    this.cache = new LruCache(cacheSize, (comparison) => comparison.kind === "compared");
  }

  async between(request: ChangeSetRequest): Promise<ChangeSet> {
    const { liveSha, sha } = request;
    const common = { headSha: sha, ...(liveSha ? { baseSha: liveSha } : {}), pulls: [], computedAt: this.clock.now().toISOString() };
    if (!liveSha) return { ...common, status: "first_deploy", direction: request.direction };
    const compare = this.sourceControl.compare?.bind(this.sourceControl);
    if (!compare) {
      return { ...common, status: "unavailable", direction: request.direction, detail: "This Whistlestop cannot compare commits: GitHub is not configured (see docs/github.md)." };
    }
    if (liveSha.toLowerCase() === sha.toLowerCase()) return { ...common, status: "listed", direction: request.direction, commitCount: 0, pullCount: 0 };
    let direction = request.direction;
    try {
      let comparison = await this.compare(request.repo, direction, liveSha, sha, compare);
      // Nothing new that way round: the deploy goes the other way (an older commit deployed, or a
      // rollback to a newer one), so list what moves that way instead.
      if (comparison.kind === "compared" && comparison.status === "behind") {
        direction = flip(direction);
        comparison = await this.compare(request.repo, direction, liveSha, sha, compare);
      }
      if (comparison.kind === "unknown_commit") return { ...common, status: "base_missing", direction };
      const counts = { commitCount: comparison.aheadBy, ...(comparison.status === "diverged" ? { reverseCount: comparison.behindBy } : {}), ...(comparison.url ? { compareUrl: comparison.url } : {}) };
      if (comparison.commits.length < comparison.aheadBy) return { ...common, ...counts, status: "too_large", direction };
      const pulls = mergedPulls(comparison.commits);
      const allPulls = pulls.map(({ number, author }) => ({ number, ...(author ? { author } : {}) }));
      return { ...common, ...counts, status: "listed", direction, pulls: pulls.slice(0, MAX_LISTED_PULLS), pullCount: pulls.length, allPulls };
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 300) : "unknown error";
      return { ...common, status: "failed", direction, detail: `The commits could not be compared: ${reason}` };
    }
  }

  /** What the later side has that the earlier has not: the new sha over the live one, or the live one over a rollback's. */
  private compare(repo: string, direction: ChangeSetDirection, liveSha: string, sha: string, compare: NonNullable<SourceControl["compare"]>): Promise<Comparison> {
    const [base, head] = direction === "ships" ? [liveSha, sha] : [sha, liveSha];
    return this.cache.get(`${repo.toLowerCase()}\0${base.toLowerCase()}\0${head.toLowerCase()}`, () => compare(repo, base, head));
  }
}
