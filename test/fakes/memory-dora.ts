import { doraRecordOf } from "../../src/core/metrics/dora-record.js";
import type { Deploy } from "../../src/core/model/deploy.js";
import type { ChangeLive, DeployOutcome, DoraFactQuery, DoraFacts, PullMerge } from "../../src/core/model/dora.js";

/** The DORA fact rows of the in-memory database, with the same rules as dora-queries.ts. */
export class MemoryDora {
  readonly outcomes = new Map<string, DeployOutcome>();
  /** First time live by "service/env#number". */
  readonly changes = new Map<string, ChangeLive>();
  /** By "service#number". */
  readonly merges = new Map<string, PullMerge>();

  record(deploy: Deploy): void {
    const record = doraRecordOf(deploy);
    if (!record) return;
    this.outcomes.set(deploy.id, record.outcome);
    for (const change of record.changes) {
      const key = `${change.service}/${change.env}#${change.number}`;
      if (!this.changes.has(key)) this.changes.set(key, change);
    }
  }

  recordMerge(merge: PullMerge): void {
    const key = `${merge.service}#${merge.number}`;
    if (!this.merges.has(key)) this.merges.set(key, { ...merge, mergedAt: new Date(merge.mergedAt).toISOString() });
  }

  read(query: DoraFactQuery): DoraFacts {
    const since = query.since.toISOString();
    const covers = (service: string, env: string) => (query.service === undefined || query.service === service) && (query.env === undefined || query.env === env);
    return {
      outcomes: [...this.outcomes.values()].filter((o) => o.finishedAt >= since && covers(o.service, o.env)),
      leadTimes: [...this.changes.values()].flatMap((c) => {
        const merge = this.merges.get(`${c.service}#${c.number}`);
        return merge && c.liveAt >= since && covers(c.service, c.env) ? [{ service: c.service, env: c.env, number: c.number, liveAt: c.liveAt, mergedAt: merge.mergedAt }] : [];
      }),
    };
  }
}
