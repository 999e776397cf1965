import { randomUUID } from "node:crypto";
import { shipNewsOf, type ShipNews } from "../../core/changes/ship-news.js";
import type { WhistlestopConfig } from "../../core/model/config.js";
import type { Deploy } from "../../core/model/deploy.js";
import type { PrNotice, ShownComment } from "../../core/model/pr-notice.js";
import type { Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import type { DeployEvent, Notifier } from "../../core/ports/notifier.js";
import type { PrNoticeStore } from "../../core/ports/pr-notice-store.js";
import { CoalescingEditor, type EditorTimers } from "../shared/coalescing-editor.js";
import { ConcurrencyLimit } from "../shared/concurrency-limit.js";
import type { GitHubApi } from "./github-api.js";
import { describeFailure, isPermanent } from "./github-request.js";
import { NotInstalledError } from "./installation-clients.js";
import { bodyDigest, shipNoticeBody } from "./ship-notice-body.js";

export interface PrShipNotifierDeps {
  readonly api: Pick<GitHubApi, "createComment" | "updateComment">;
  readonly store: PrNoticeStore;
  readonly config: WhistlestopConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers: EditorTimers;
  /** Least time between two edits of one comment; default 1 s. */
  readonly commentEditIntervalMs?: number;
  /** PR comments written at once by this process, whatever the number of deploys; default 2. */
  readonly concurrency?: number;
  /** How long a writer holds a PR's comment before another may take it over; default 5 minutes. */
  readonly claimMs?: number;
  /** Waits before claiming a PR another writer holds again; default 1, 2, 4 and 8 s. */
  readonly heldWaitsMs?: readonly number[];
  readonly newClaimant?: () => string;
}

/** Longer than a write sitting out a few secondary rate limits (GitHub asks for 60 s each). */
const DEFAULT_CLAIM_MS = 5 * 60_000;
const DEFAULT_HELD_WAITS_MS = [1_000, 2_000, 4_000, 8_000];
/** Rounds of write-then-read-again for one PR; more only under a storm of deploys touching it. */
const MAX_ROUNDS = 4;
const MAX_REMEMBERED = 5_000;

/**
 * `notify_prs`: each PR a successful deploy ships gets one comment, edited in place, listing the
 * environments it reached and when; a rollback notes on the PRs' comments that they left. What
 * each PR reached is recorded in the store first, then each comment is brought up to date under
 * the store's claim, a few PRs at a time (Octokit paces and retries each call, waiting out rate
 * limits). Nothing here touches the deploy: a PR GitHub refuses is logged and skipped; calls that
 * kept failing are thrown, so the deploy's report is sent again and the comments caught up.
 */
export class PrShipNotifier implements Notifier {
  private readonly editor: CoalescingEditor<string>;
  private readonly limit: ConcurrencyLimit;
  /** Deploys whose notices are all written, so refreshes of a finished deploy cost nothing. */
  private readonly done = new Set<string>();

  constructor(private readonly deps: PrShipNotifierDeps) {
    this.editor = new CoalescingEditor<string>((key, body) => this.editComment(key, body), deps.timers, deps.commentEditIntervalMs ?? 1000);
    this.limit = new ConcurrencyLimit(deps.concurrency ?? 2);
  }

  async notify(event: DeployEvent): Promise<void> {
    const { deploy } = event;
    const service = this.deps.config.services[deploy.service];
    if (!service?.notifyPrs || this.done.has(deploy.id)) return;
    const news = shipNewsOf(deploy);
    if (!news || news.kind === "not_shipped") return;
    await this.record(deploy, news, service.repo.toLowerCase(), deploy.finishedAt ?? event.at);
    const numbers = news.pulls.map((p) => p.number);
    const results = await Promise.allSettled(numbers.map((n) => this.limit.run(() => this.bringUpToDate(service.repo, n, news.kind === "shipped"))));
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [{ prNumber: numbers[i]!, error: r.reason as unknown }] : []));
    for (const { prNumber, error } of failed) this.logFailure(deploy, prNumber, error);
    const retry = failed.filter(({ error }) => !isSkippable(error));
    if (retry.length > 0) throw new Error(`${retry.length} of ${numbers.length} PR comments for ${deploy.id} were not written (${describeFailure(retry[0]!.error)}); they are tried again when the deploy is reported again`);
    this.remember(deploy.id);
  }

  /** Idempotent: sending the same deploy again records nothing new. */
  private async record(deploy: Deploy, news: ShipNews, repo: string, at: string): Promise<void> {
    const numbers = news.pulls.map((p) => p.number);
    if (news.kind === "taken_out") {
      await this.deps.store.markTakenOut(repo, numbers, deploy.service, deploy.env, { deployId: deploy.id, at });
      return;
    }
    await this.deps.store.recordShipments(numbers.map((prNumber) => ({ repo, prNumber, service: deploy.service, env: deploy.env, deployId: deploy.id, sha: deploy.sha, shippedAt: at })));
  }

  /**
   * Writes the PR's comment while holding it, then reads again: whatever another deploy (or
   * replica) recorded meanwhile is shown too. A PR another writer holds is claimed again after a
   * short wait: a live holder has written by then (this deploy's shipment included, as it reads
   * again after writing), and the claim finds the comment up to date. One that stays held (its
   * holder stopped mid-write) is thrown, and tried again once the claim has run out.
   */
  private async bringUpToDate(repo: string, prNumber: number, mayCreate: boolean): Promise<void> {
    const { store, clock } = this.deps;
    const waits = [...(this.deps.heldWaitsMs ?? DEFAULT_HELD_WAITS_MS)];
    for (let round = 0; round < MAX_ROUNDS; ) {
      const claimant = this.deps.newClaimant?.() ?? randomUUID();
      const now = clock.now();
      const notice = await store.claimPrNotice(repo.toLowerCase(), prNumber, claimant, now, new Date(now.getTime() + (this.deps.claimMs ?? DEFAULT_CLAIM_MS)));
      if (!notice) {
        const wait = waits.shift();
        if (wait === undefined) throw new Error(`the comment on ${repo}#${prNumber} is held by another writer`);
        await new Promise<void>((resolve) => this.deps.timers.setTimeout(resolve, wait));
        continue;
      }
      round++;
      let shown: ShownComment | undefined;
      try {
        shown = await this.write(repo, notice, mayCreate);
      } finally {
        await store.releasePrNotice(repo.toLowerCase(), prNumber, claimant, shown);
      }
      if (!shown) return;
    }
  }

  /** What the comment shows after this write, or undefined when nothing had to be written. */
  private async write(repo: string, notice: PrNotice, mayCreate: boolean): Promise<ShownComment | undefined> {
    if (notice.shipments.length === 0) return undefined;
    const body = shipNoticeBody(notice, this.deps.config.timezone);
    const shown = bodyDigest(body);
    if (notice.commentId === undefined) {
      // A rollback notes itself on comments that exist; it never starts one.
      if (!mayCreate) return undefined;
      const commentId = await this.deps.api.createComment(repo, notice.prNumber, body);
      this.editor.touch(commentKey(repo, commentId));
      return { commentId, shown };
    }
    if (notice.shown === shown) return undefined;
    await this.editor.deliver(commentKey(repo, notice.commentId), body);
    return { commentId: notice.commentId, shown };
  }

  private async editComment(key: string, body: string): Promise<void> {
    const at = key.lastIndexOf("#");
    await this.deps.api.updateComment(key.slice(0, at), Number(key.slice(at + 1)), body);
  }

  private remember(deployId: string): void {
    this.done.add(deployId);
    if (this.done.size > MAX_REMEMBERED) this.done.delete(this.done.values().next().value!);
  }

  private logFailure(deploy: Deploy, prNumber: number, error: unknown): void {
    if (error instanceof NotInstalledError) return;
    const skipped = isSkippable(error);
    this.deps.logger.warn(
      { deployId: deploy.id, prNumber, reason: describeFailure(error) },
      skipped ? "GitHub will not take the PR's shipped comment; it is skipped" : "could not write a PR's shipped comment; it is tried again later",
    );
  }
}

/** GitHub will not accept it however often it is asked (no such PR, a locked one, no installation). */
const isSkippable = (error: unknown): boolean => error instanceof NotInstalledError || isPermanent(error);

const commentKey = (repo: string, id: number): string => `${repo}#${id}`;
