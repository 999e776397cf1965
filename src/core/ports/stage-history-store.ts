import type { StageRun } from "../model/stage-run.js";

/** How long each stage took when it succeeded, per (service, env): the watchdog's default timeouts come from it. */
export interface StageHistoryStore {
  /** Records successful stage runs; a run recorded before (same deploy and stage) is left as it was. */
  recordStageRuns(runs: readonly StageRun[]): Promise<void>;
  /** The durations (ms) of the stage's `limit` newest successful runs in (service, env), newest first. */
  recentStageDurations(service: string, env: string, stage: string, limit: number): Promise<number[]>;
}
