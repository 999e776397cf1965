import type { Actor } from "../model/actor.js";

/** Who asked, from where, and where the answer and the deploy's reports should go. */
export interface RequestContext {
  readonly actor: Actor;
  /** Seen once: a retried delivery with the same key does nothing new. */
  readonly idempotencyKey?: string;
  /** Merge deploys: automatic, and superseded by newer automatic ones while queued. */
  readonly automatic?: boolean;
  readonly slackChannel?: string;
  readonly githubRepo?: string;
  readonly prNumber?: number;
  /**
   * Set when the request was made on an open pull request: the repository its head branch lives
   * in (null when GitHub no longer knows it, e.g. a deleted fork). A head outside `githubRepo` is a
   * fork, whose code nobody with write access has vetted (fork-policy.ts).
   */
  readonly pullRequestHead?: { readonly repo: string | null };
  readonly commandCommentId?: number;
}
