import type { DoraFactQuery, DoraFacts, PullMerge } from "../model/dora.js";

/**
 * What DORA metrics need from the store. Deploy outcomes and first-live changes are recorded by
 * the store itself whenever a deploy that ran reaches a final state (in the same transaction), so
 * no caller can forget them; merge times come from the merge webhook.
 */
export interface DoraStore {
  /** Idempotent: a merge seen again (a redelivered webhook) keeps its first record. */
  recordPullMerge(merge: PullMerge): Promise<void>;
  readDoraFacts(query: DoraFactQuery): Promise<DoraFacts>;
}
