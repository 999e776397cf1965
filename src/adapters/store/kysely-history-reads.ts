import type { Deploy } from "../../core/model/deploy.js";
import type { DoraFactQuery, DoraFacts, PullMerge } from "../../core/model/dora.js";
import type { DoraStore } from "../../core/ports/dora-store.js";
import type { StoreReader } from "../../core/ports/store.js";
import { latestSucceeded } from "./deploy-queries.js";
import * as dora from "./dora-queries.js";
import type { StoreContext } from "./store-context.js";

/**
 * The store's reads over the whole history (what is live where, DORA facts) and the merge times
 * they need; KyselyStore extends it, so every query module keeps one context.
 */
export class KyselyHistoryReads implements DoraStore, Pick<StoreReader, "latestSucceeded"> {
  constructor(protected readonly ctx: StoreContext) {}

  latestSucceeded(targets: ReadonlyArray<{ readonly service: string; readonly env: string }>): Promise<Deploy[]> {
    return latestSucceeded(this.ctx, targets);
  }

  recordPullMerge(merge: PullMerge): Promise<void> {
    return dora.recordPullMerge(this.ctx, merge);
  }

  readDoraFacts(query: DoraFactQuery): Promise<DoraFacts> {
    return dora.readDoraFacts(this.ctx, query);
  }
}
