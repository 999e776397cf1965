import type { Deploy, DeployPatch, DeployState, StageProgress } from "../model/deploy.js";
import type { ExecutionSnapshot, ExecutionStatus } from "../ports/pipeline.js";

export interface Reconciliation {
  /** Fields to store; undefined when nothing changed (duplicate or stale observation). */
  readonly patch?: DeployPatch;
  /** The final state the execution reached, if it has. */
  readonly finalState?: Extract<DeployState, "succeeded" | "failed" | "cancelled">;
}

const FINAL: Partial<Record<ExecutionStatus, Reconciliation["finalState"]>> = {
  Succeeded: "succeeded",
  Failed: "failed",
  Stopped: "cancelled",
  Cancelled: "cancelled",
  Superseded: "cancelled",
};

/**
 * Compare what CodePipeline reports with what we stored. Pure, so duplicate, late and
 * out-of-order observations are harmless: an unchanged snapshot yields no patch, and a stage
 * never moves backwards (a late poll cannot undo a newer one).
 */
export function reconcileExecution(deploy: Deploy, snapshot: ExecutionSnapshot, displayOrder?: readonly string[]): Reconciliation {
  const stages = orderStages(mergeStages(deploy.stages, snapshot.stages), displayOrder);
  const finalState = FINAL[snapshot.status];
  const patch: { -readonly [K in keyof DeployPatch]: DeployPatch[K] } = {};
  if (JSON.stringify(stages) !== JSON.stringify(deploy.stages)) patch.stages = stages;
  if (snapshot.artifact && snapshot.artifact !== deploy.artifact) patch.artifact = snapshot.artifact;
  if (finalState === "failed" && snapshot.error && snapshot.error !== deploy.error) patch.error = snapshot.error;
  const changed = Object.keys(patch).length > 0;
  return { ...(changed ? { patch } : {}), ...(finalState ? { finalState } : {}) };
}

const RANK: Record<StageProgress["status"], number> = { waiting: 0, running: 1, skipped: 2, succeeded: 3, failed: 3, cancelled: 3 };

function mergeStages(stored: readonly StageProgress[], observed: readonly StageProgress[]): StageProgress[] {
  const byName = new Map(stored.map((s) => [s.name, s]));
  const merged = observed.map((next) => {
    const previous = byName.get(next.name);
    byName.delete(next.name);
    // A final stage state is never replaced by an earlier one from a stale observation.
    return previous && RANK[previous.status] > RANK[next.status] ? previous : next;
  });
  return [...merged, ...byName.values()];
}

function orderStages(stages: StageProgress[], displayOrder?: readonly string[]): StageProgress[] {
  if (!displayOrder?.length) return stages;
  const index = (name: string) => {
    const i = displayOrder.indexOf(name);
    return i === -1 ? displayOrder.length : i;
  };
  return [...stages].sort((a, b) => index(a.name) - index(b.name));
}
