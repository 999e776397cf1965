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
  readonly commandCommentId?: number;
}
