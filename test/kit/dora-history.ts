import type { StageProgress } from "../../src/core/model/deploy.js";
import type { Store } from "../../src/core/ports/store.js";

/** One deploy of a seeded history, hours before `now`. */
export interface PastDeploy {
  readonly key: string;
  readonly state: "succeeded" | "failed";
  readonly finishedHoursAgo: number;
  /** Whether the deploy stage had started (a failed bake has not). Default true. */
  readonly reachedDeploy?: boolean;
  /** The key of the deploy this one rolls back, and when the rollback was asked for. */
  readonly rollbackOf?: string;
  readonly requestedHoursAgo?: number;
  /** Merged PRs it ships: number and hours ago merged. */
  readonly ships?: ReadonlyArray<{ readonly pr: number; readonly mergedHoursAgo: number }>;
}

const HOUR = 3_600_000;
const STAGES = ["Source", "Bake", "Deploy", "Verify"];

function stagesOf(d: PastDeploy): StageProgress[] {
  const stop = d.reachedDeploy === false ? 1 : d.state === "failed" ? 2 : STAGES.length;
  return STAGES.map((name, i) => ({ name, status: i < stop ? "succeeded" : i === stop && d.state === "failed" ? "failed" : "waiting" }));
}

/**
 * Writes a history through the store's own writes (insert, claim the slot, end), so the DORA facts
 * are recorded exactly as in production, with the merges the webhook would have recorded.
 */
export async function seedHistory(store: Store, now: Date, service: string, env: string, deploys: readonly PastDeploy[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
  for (const d of deploys) {
    for (const ship of d.ships ?? []) {
      await store.recordPullMerge({ service, repo: `whistlestop-demo/${service}`, number: ship.pr, mergeSha: ship.pr.toString(16).padStart(40, "0"), mergedAt: ago(ship.mergedHoursAgo).toISOString() });
    }
    const id = `hist-${service}-${env}-${d.key}`;
    ids.set(d.key, id);
    const requestedAt = ago(d.requestedHoursAgo ?? d.finishedHoursAgo + 0.5);
    const rollbackOf = d.rollbackOf ? ids.get(d.rollbackOf) : undefined;
    await store.insertDeploy({
      id,
      service,
      env,
      sha: d.key.padEnd(40, "0").replace(/[^0-9a-f]/g, "e").slice(0, 40),
      ref: "main",
      actor: "history",
      surface: "api",
      automatic: false,
      forced: false,
      pipelineName: `${service}-${env}`,
      requestedAt: requestedAt.toISOString(),
      ...(rollbackOf ? { rollbackOf } : {}),
      ...(d.ships?.length
        ? { changeSet: { status: "listed" as const, direction: "ships" as const, headSha: "f".repeat(40), pulls: d.ships.map((s) => ({ number: s.pr, title: `PR ${s.pr}` })), computedAt: requestedAt.toISOString() } }
        : {}),
    });
    if (!(await store.claimSlot(id, requestedAt))) throw new Error(`seedHistory: ${id} could not take its slot (is another deploy running there?)`);
    await store.updateDeploy(id, { state: d.state, finishedAt: ago(d.finishedHoursAgo).toISOString(), stages: stagesOf(d) }, "running");
  }
  return ids;
}

/**
 * A week of donations/prod, with what each metric should be worked out by hand in the comments:
 * succeeded: s1, s2, s3, r3, s4 = 5 in 7 days → 0.71/day;
 * ended: those 5 + f1, f2 = 7; change failures: f1 (failed in Deploy), s3 (rolled back after 1 h) → 2/7 = 28.6%;
 * f2 failed in the bake: a deploy, not a failure;
 * incidents: f1 (80 h ago) → s2 (78 h ago) = 2 h; s3 (40 h ago) → r3 (39 h ago) = 1 h → median 1h 30m;
 * lead times: PR 1 10 h, PR 2 6 h, PR 3 4 h, PR 4 2 h → median 5 h, p90 (nearest rank 4 of 4) 10 h.
 */
export const WEEK_OF_DONATIONS: readonly PastDeploy[] = [
  { key: "s1", state: "succeeded", finishedHoursAgo: 100, ships: [{ pr: 1, mergedHoursAgo: 110 }] },
  { key: "f1", state: "failed", finishedHoursAgo: 80 },
  { key: "s2", state: "succeeded", finishedHoursAgo: 78, ships: [{ pr: 2, mergedHoursAgo: 84 }] },
  { key: "f2", state: "failed", finishedHoursAgo: 60, reachedDeploy: false },
  { key: "s3", state: "succeeded", finishedHoursAgo: 40, ships: [{ pr: 3, mergedHoursAgo: 44 }] },
  { key: "r3", state: "succeeded", finishedHoursAgo: 39, rollbackOf: "s3", requestedHoursAgo: 39.5 },
  { key: "s4", state: "succeeded", finishedHoursAgo: 10, ships: [{ pr: 4, mergedHoursAgo: 12 }] },
];
