import type { ChangeLive, DeployOutcome } from "../model/dora.js";
import type { Deploy } from "../model/deploy.js";

/** What a finished deploy adds to the DORA facts: its outcome, and the merged pull requests it put live. */
export interface DoraRecord {
  readonly outcome: DeployOutcome;
  /** Only for a succeeded deploy that ships (not a rollback): each PR's first time live is kept by the store. */
  readonly changes: readonly ChangeLive[];
}

/**
 * The DORA record of a deploy, or undefined while it has not ended, or when it never started
 * (cancelled or dropped in the queue: nothing reached the environment). Called by the store
 * every time a deploy that ended is written (its change set may be recorded after it ends), so
 * it must give the same record for the same deploy.
 */
export function doraRecordOf(deploy: Deploy): DoraRecord | undefined {
  if (deploy.state !== "succeeded" && deploy.state !== "failed" && deploy.state !== "cancelled") return undefined;
  if (!deploy.startedAt || !deploy.finishedAt) return undefined;
  const outcome: DeployOutcome = {
    deployId: deploy.id,
    service: deploy.service,
    env: deploy.env,
    state: deploy.state,
    requestedAt: deploy.requestedAt,
    finishedAt: deploy.finishedAt,
    stagesStarted: deploy.stages.filter((s) => s.status !== "waiting" && s.status !== "skipped").map((s) => s.name),
    ...(deploy.rollbackOf ? { rollbackOf: deploy.rollbackOf } : {}),
  };
  if (deploy.state !== "succeeded" || deploy.rollbackOf) return { outcome, changes: [] };
  return { outcome, changes: pullsShipped(deploy).map((number) => ({ service: deploy.service, env: deploy.env, number, deployId: deploy.id, liveAt: deploy.finishedAt! })) };
}

/** The merged PRs a deploy ships: every PR its change set names, and the merge it was started by. */
function pullsShipped(deploy: Deploy): number[] {
  const numbers = new Set<number>();
  const changeSet = deploy.changeSet;
  if (changeSet && changeSet.direction === "ships") {
    for (const pull of changeSet.allPulls ?? changeSet.pulls) numbers.add(pull.number);
  }
  // A merge deploy (automatic) carries the PR it was started by; a branch deploy's PR is not merged yet.
  if (deploy.automatic && deploy.prNumber !== undefined) numbers.add(deploy.prNumber);
  return [...numbers].sort((a, b) => a - b);
}
