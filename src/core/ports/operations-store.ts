import type { Deploy } from "../model/deploy.js";

/** A replica's claim on its id: which process holds it (host, pid, a per-process instance) and until when. */
export interface ReplicaClaim {
  readonly id: string;
  /** Random per process: tells a restarted process from the one it replaces. */
  readonly instance: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  /** Renewed at every sweep; past it, the claim no longer proves the holder is alive. */
  readonly heartbeatUntil: string;
}

export interface PrunedRows {
  readonly audit: number;
  readonly keys: number;
  readonly requests: number;
  readonly stageRuns: number;
}

/** What running several replicas for a long time needs from the store. */
export interface OperationsStore {
  /** Running deploys following this execution (pipeline events); normally one. */
  findRunningByExecution(executionId: string): Promise<Deploy[]>;
  getReplica(id: string): Promise<ReplicaClaim | undefined>;
  /**
   * Take the id for `claim.instance` if it is free or still held by `replacing` (the instance the
   * caller judged gone); false when someone else changed it meanwhile.
   */
  claimReplica(claim: ReplicaClaim, replacing: string | undefined): Promise<boolean>;
  /** Extend the claim; false when another instance holds the id now. */
  renewReplica(id: string, instance: string, until: Date): Promise<boolean>;
  /** Give the id up (graceful stop), if this instance still holds it. */
  releaseReplica(id: string, instance: string): Promise<void>;
  /**
   * True for exactly one caller per period: the duty `name` last ran at least `everyMs` before
   * `now` (or never) and is recorded as run now.
   */
  claimDuty(name: string, now: Date, everyMs: number): Promise<boolean>;
  /**
   * Delete audit rows, idempotency keys, finished accepted requests and successful stage runs
   * older than `before`, except each stage's `keepStageRuns` newest runs in its (service, env)
   * (newest finish first, then deploy id, as recentStageDurations reads them), however old.
   */
  pruneHistory(before: Date, keepStageRuns: number): Promise<PrunedRows>;
}
