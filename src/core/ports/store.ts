import type { AuditEntry, AuditQuery, AuditRecord } from "../model/audit.js";
import type { Deploy, DeployPatch, DeployState, NewDeploy } from "../model/deploy.js";
import type { Lock } from "../model/lock.js";
import type { AcceptedRequestStore } from "./accepted-requests.js";
import type { ApprovalStore } from "./approval-store.js";
import type { OperationsStore } from "./operations-store.js";
import type { IdentityStore } from "./identity-store.js";
import type { DashboardSessionStore } from "./dashboard-session-store.js";
import type { PrNoticeStore } from "./pr-notice-store.js";
import type { DoraStore } from "./dora-store.js";
import type { ReminderStore } from "./reminder-store.js";
import type { StageHistoryStore } from "./stage-history-store.js";

/*
 * Time in the store ports has one rule: an argument that says *when* (now, at, until, before) is
 * a Date, taken from the Clock; a field of a record (a deploy's startedAt, a lock's until) is an
 * ISO-8601 string, as it is stored and as the API shows it. Adapters write `at.toISOString()`.
 */

export interface DeployFilter {
  readonly service?: string;
  readonly env?: string;
  readonly states?: readonly DeployState[];
  /** Who asked: the display name or the GitHub login, without regard to case. */
  readonly actor?: string;
  /** Requested at or after this ISO time. */
  readonly requestedFrom?: string;
  /** Requested before this ISO time. */
  readonly requestedBefore?: string;
  /** Only deploys older than this one (its `seq`): the cursor of the page after. */
  readonly beforeSeq?: number;
  /** Newest first; default 50. */
  readonly limit?: number;
}

export type InsertDeployResult =
  | { readonly kind: "inserted"; readonly deploy: Deploy; readonly superseded: readonly Deploy[] }
  /** The idempotency key was seen before: nothing was inserted. */
  | { readonly kind: "duplicate"; readonly existing?: Deploy };

export interface InsertDeployOptions {
  /** Recorded once in the same transaction; a second insert with the key inserts nothing. */
  readonly idempotencyKey?: string;
  /**
   * For automatic deploys: older automatic deploys still queued for the same
   * (service, env) become cancelled with `error` = supersededMessage, atomically.
   */
  readonly supersedeAutomatic?: { readonly message: string; readonly at: Date };
  /**
   * A deploy the policies let through just now: when nothing runs in (service, env) and nothing is
   * queued ahead of it (and it does not await approval), it takes the running slot (startedAt = at, leased to `lease`) in the same
   * transaction, so a start needs one write. Otherwise it stays queued, as without this option.
   */
  readonly startIfFree?: { readonly at: Date; readonly lease: SlotLease };
}

export type TakeLockResult =
  | { readonly kind: "taken"; readonly lock: Lock; readonly replaced?: Lock }
  /** An active lock on exactly this (service, env) is held by someone else. */
  | { readonly kind: "held"; readonly lock: Lock };

/** Who follows a deploy that just took its slot, and until when unless renewed. */
export interface SlotLease {
  readonly ownerId: string;
  readonly until: Date;
}

/** Reads the core needs. */
export interface StoreReader {
  getDeploy(id: string): Promise<Deploy | undefined>;
  listDeploys(filter: DeployFilter): Promise<Deploy[]>;
  /** Queued deploys of (service, env), oldest (lowest seq) first; with `limit`, only the first `limit`. */
  listQueue(service: string, env: string, limit?: number): Promise<Deploy[]>;
  /** How many deploys are queued for (service, env), without reading them (busy paths). */
  countQueue(service: string, env: string): Promise<number>;
  /** A queued deploy's 1-based place in its queue; 0 when it is not queued. */
  queuePosition(deployId: string): Promise<number>;
  /** The deploy holding the running slot of (service, env), if any. */
  getRunning(service: string, env: string): Promise<Deploy | undefined>;
  /** Every running deploy (restart and tracking). */
  listRunning(): Promise<Deploy[]>;
  /** (service, env) pairs that have queued deploys. */
  listQueuedTargets(): Promise<Array<{ service: string; env: string }>>;
  /** Newest succeeded deploys of (service, env), newest finishedAt first. */
  listSucceeded(service: string, env: string, limit: number): Promise<Deploy[]>;
  /**
   * The newest succeeded deploy of each target that has one (what is live where), in one round
   * trip however many targets: the dashboard's board asks for every target at once.
   */
  latestSucceeded(targets: ReadonlyArray<{ readonly service: string; readonly env: string }>): Promise<Deploy[]>;
  /** Whether `sha` ever succeeded in (service, env). */
  hasSucceeded(service: string, env: string, sha: string): Promise<boolean>;
  /** Locks not yet expired at `now`. */
  listLocks(now: Date): Promise<Lock[]>;
  /** Deploys whose notifiers have not yet seen their current state (finished by a restart). */
  listUnnotified(limit: number): Promise<Deploy[]>;
}

/** Writes; every method is atomic in every dialect. */
export interface StoreWriter {
  insertDeploy(deploy: NewDeploy, options?: InsertDeployOptions): Promise<InsertDeployResult>;
  /**
   * Claim the single running slot of (service, env) for a queued deploy and mark it running
   * (startedAt = at). False when another deploy holds the slot or the deploy is not queued.
   * With `lease`, the deploy is leased to that replica in the same write.
   */
  claimSlot(deployId: string, at: Date, lease?: SlotLease): Promise<boolean>;
  /**
   * Update a deploy. With `expectedState`, only if it is still in that state (compare-and-set);
   * returns the updated deploy, or undefined when the condition failed or the id is unknown.
   * Moving a deploy to a final state releases its running slot in the same transaction.
   */
  updateDeploy(id: string, patch: DeployPatch, expectedState?: DeployState): Promise<Deploy | undefined>;
  /** Mark that notifiers delivered `state` for the deploy. */
  markNotified(id: string, state: DeployState): Promise<void>;
  /**
   * Take or extend a lock on exactly (service, env). An expired lock is replaced; a lock held
   * by `lock.ownerKey` is extended; anyone else's active lock is returned as held.
   */
  takeLock(lock: Lock, now: Date): Promise<TakeLockResult>;
  /** Remove the lock on exactly (service, env); returns it, or undefined if none. */
  releaseLock(service: string, env: string): Promise<Lock | undefined>;
  /** True the first time a key is recorded, false ever after (webhook deliveries, clicks). */
  recordKey(key: string, at: Date): Promise<boolean>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /**
   * Claim deploys for this replica: sets ownerId and leaseExpiresAt on the given running or
   * queued deploys whose lease is free (no owner, own, or expired at `now`). Returns the ids claimed.
   */
  claimLeases(ownerId: string, deployIds: readonly string[], now: Date, until: Date): Promise<string[]>;
}

export interface Store extends StoreReader, StoreWriter, AcceptedRequestStore, OperationsStore, IdentityStore, ApprovalStore, PrNoticeStore, ReminderStore, StageHistoryStore, DashboardSessionStore, DoraStore {
  listAudit(filter: { deployId?: string; limit?: number }): Promise<AuditEntry[]>;
  /** The audit API's read: filtered, newest first, with ids for paging (AuditQuery). */
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /** Throws when the database cannot be reached (readiness, fail closed). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
