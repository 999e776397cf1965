import type { AcceptedRequest, RequestOutcome } from "../../src/core/model/accepted-request.js";
import type { AuditEntry, AuditQuery, AuditRecord } from "../../src/core/model/audit.js";
import { holdsSlot, isFinal, type Deploy, type DeployPatch, type DeployState, type NewDeploy } from "../../src/core/model/deploy.js";
import { lockActive, type Lock } from "../../src/core/model/lock.js";
import type { NewAcceptedRequest } from "../../src/core/ports/accepted-requests.js";
import type { PrunedRows, ReplicaClaim } from "../../src/core/ports/operations-store.js";
import type { DeployFilter, InsertDeployOptions, InsertDeployResult, SlotLease, Store, TakeLockResult } from "../../src/core/ports/store.js";
import type { ApprovalVote, VoteResult } from "../../src/core/model/approval.js";
import { MemoryApprovals } from "./memory-approvals.js";
import type { PrNotice, PrShipment, ShownComment, TakenOut } from "../../src/core/model/pr-notice.js";
import { MemoryIdentityRows, MemoryIdentityStore } from "./memory-identity-store.js";
import { MemoryPrNotices } from "./memory-pr-notices.js";
import { MemoryReminders } from "./memory-reminders.js";
import type { ReminderKey } from "../../src/core/ports/reminder-store.js";
import { stageRunMs, type StageRun } from "../../src/core/model/stage-run.js";
import type { DoraFactQuery, DoraFacts, PullMerge } from "../../src/core/model/dora.js";
import { MemoryDora } from "./memory-dora.js";

/** An in-memory Store for core tests. JavaScript runs one callback at a time, so each method is atomic. */
function entryOf(record: AuditRecord): AuditEntry {
  const { id: _id, actorKey: _actorKey, ...entry } = record;
  return entry;
}

/** The rows: several MemoryStores can share one, as several connections share a database. */
export class MemoryDatabase extends MemoryIdentityRows {
  readonly deploys = new Map<string, Deploy>();
  readonly slots = new Map<string, string>();
  readonly locks = new Map<string, Lock>();
  /** Idempotency keys by scope, as the databases keep them: a deploy's own, and recordKey's. */
  readonly deployKeys = new Map<string, { readonly deployId: string; readonly at: string }>();
  readonly onceKeys = new Map<string, string>();
  /** Ids are never reused, so pruning leaves the audit API's paging cursors valid. */
  readonly audit: AuditRecord[] = [];
  auditSeq = 0;
  readonly requests = new Map<string, StoredRequest>();
  readonly replicas = new Map<string, ReplicaClaim>();
  readonly duties = new Map<string, number>();
  readonly prNotices = new MemoryPrNotices();
  readonly reminders = new MemoryReminders();
  /** Successful stage runs by `<deployId> <stage>`. */
  readonly stageRuns = new Map<string, StageRun>();
  readonly dora = new MemoryDora();
  seq = 0;
  /** Approval votes by deploy id, then approver key. */
  readonly votes: MemoryApprovals["votes"] = new Map();
}

type StoredRequest = AcceptedRequest & { ownerId: string; leaseExpiresAt: string; finishedAt?: string; outcome?: RequestOutcome };

/**
 * An in-memory Store for core tests, held to the store contract suite like the databases.
 * JavaScript runs one callback at a time, so each method is atomic.
 */
export class MemoryStore extends MemoryIdentityStore implements Store {
  /** Set to make every call fail, as a stopped database would. */
  down = false;
  private closed = false;
  private readonly approvals: MemoryApprovals;

  constructor(protected override readonly db: MemoryDatabase = new MemoryDatabase()) {
    super(db);
    this.approvals = new MemoryApprovals(db.deploys, db.votes);
  }

  /** Rows tests may look at directly. */
  get deploys(): Map<string, Deploy> {
    return this.db.deploys;
  }
  /** The audit trail, oldest first, as it was appended. */
  get audit(): AuditEntry[] {
    return this.db.audit.map(entryOf);
  }
  get requests(): Map<string, StoredRequest> {
    return this.db.requests;
  }
  get replicas(): Map<string, ReplicaClaim> {
    return this.db.replicas;
  }

  protected override check(): void {
    if (this.down) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    if (this.closed) throw new Error("the store is closed");
  }

  async insertDeploy(deploy: NewDeploy, options: InsertDeployOptions = {}): Promise<InsertDeployResult> {
    this.check();
    if (options.idempotencyKey) {
      const recorded = this.db.deployKeys.get(options.idempotencyKey);
      if (recorded) {
        const existing = this.db.deploys.get(recorded.deployId);
        return existing ? { kind: "duplicate", existing } : { kind: "duplicate" };
      }
      this.db.deployKeys.set(options.idempotencyKey, { deployId: deploy.id, at: deploy.requestedAt });
    }
    const superseded: Deploy[] = [];
    if (options.supersedeAutomatic) {
      for (const d of this.db.deploys.values()) {
        if (d.service === deploy.service && d.env === deploy.env && d.state === "queued" && d.automatic) {
          const cancelled = { ...d, state: "cancelled" as const, error: options.supersedeAutomatic.message, reasonCode: "superseded" as const, finishedAt: options.supersedeAutomatic.at.toISOString() };
          this.db.deploys.set(d.id, cancelled);
          superseded.push(cancelled);
        }
      }
    }
    const { approval, ...fields } = deploy;
    const stored: Deploy = {
      ...fields,
      stages: deploy.stages ?? [],
      state: approval ? "awaiting_approval" : "queued",
      seq: ++this.db.seq,
      ...(approval ? { approval: { ...approval, expiresAt: new Date(approval.expiresAt).toISOString(), approvedBy: [] } } : {}),
    };
    this.db.deploys.set(stored.id, stored);
    const start = options.startIfFree;
    const ahead = [...this.db.deploys.values()].some((d) => d.service === deploy.service && d.env === deploy.env && d.state === "queued" && d.seq < stored.seq);
    if (start && !approval && !ahead && this.takeSlot(stored.id, start.at, start.lease)) return { kind: "inserted", deploy: this.db.deploys.get(stored.id)!, superseded };
    return { kind: "inserted", deploy: stored, superseded };
  }

  async claimSlot(deployId: string, at: Date, lease?: SlotLease): Promise<boolean> {
    this.check();
    return this.takeSlot(deployId, at, lease);
  }

  private takeSlot(deployId: string, at: Date, lease?: SlotLease): boolean {
    const deploy = this.db.deploys.get(deployId);
    const slot = deploy && `${deploy.service}/${deploy.env}`;
    if (!deploy || !slot || deploy.state !== "queued" || this.db.slots.has(slot)) return false;
    this.db.slots.set(slot, deployId);
    this.db.deploys.set(deployId, { ...deploy, state: "running", startedAt: at.toISOString(), ...(lease ? { ownerId: lease.ownerId, leaseExpiresAt: lease.until.toISOString() } : {}) });
    return true;
  }

  async updateDeploy(id: string, patch: DeployPatch, expectedState?: DeployState): Promise<Deploy | undefined> {
    this.check();
    const deploy = this.db.deploys.get(id);
    if (!deploy || (expectedState && deploy.state !== expectedState)) return undefined;
    const updated = Object.fromEntries(Object.entries({ ...deploy, ...patch }).filter(([, v]) => v !== undefined)) as unknown as Deploy;
    this.db.deploys.set(id, updated);
    const slot = `${deploy.service}/${deploy.env}`;
    if (!holdsSlot(updated.state) && this.db.slots.get(slot) === id) this.db.slots.delete(slot);
    if (isFinal(updated.state) && (patch.state !== undefined || patch.changeSet !== undefined)) this.db.dora.record(updated);
    return updated;
  }

  async markNotified(id: string, state: DeployState): Promise<void> {
    this.check();
    const deploy = this.db.deploys.get(id);
    if (deploy) this.db.deploys.set(id, { ...deploy, notifiedState: state });
  }

  async takeLock(lock: Lock, now: Date): Promise<TakeLockResult> {
    this.check();
    const key = `${lock.service}/${lock.env}`;
    const existing = this.db.locks.get(key);
    if (!existing || !lockActive(existing, now)) {
      this.db.locks.set(key, lock);
      return existing ? { kind: "taken", lock, replaced: existing } : { kind: "taken", lock };
    }
    if (existing.ownerKey !== lock.ownerKey) return { kind: "held", lock: existing };
    // Extending keeps "since" (the lock has been held all along) and the reason unless a new one is given.
    const reason = lock.reason ?? existing.reason;
    const extended: Lock = {
      service: existing.service,
      env: existing.env,
      owner: lock.owner,
      ownerKey: existing.ownerKey,
      createdAt: existing.createdAt,
      ...(reason !== undefined ? { reason } : {}),
      ...(lock.expiresAt !== undefined ? { expiresAt: lock.expiresAt } : {}),
    };
    this.db.locks.set(key, extended);
    return { kind: "taken", lock: extended };
  }

  async releaseLock(service: string, env: string): Promise<Lock | undefined> {
    this.check();
    const lock = this.db.locks.get(`${service}/${env}`);
    this.db.locks.delete(`${service}/${env}`);
    return lock;
  }

  async recordKey(key: string, at: Date): Promise<boolean> {
    this.check();
    if (this.db.onceKeys.has(key)) return false;
    this.db.onceKeys.set(key, at.toISOString());
    return true;
  }

  async acceptRequests(batch: readonly NewAcceptedRequest[], ownerId: string, leaseEnd: Date): Promise<string[]> {
    this.check();
    const recorded: string[] = [];
    for (const request of batch) {
      if (this.db.requests.has(request.key)) continue;
      this.db.requests.set(request.key, { ...request, attempts: 1, ownerId, leaseExpiresAt: leaseEnd.toISOString() });
      recorded.push(request.key);
    }
    return recorded;
  }

  async finishRequest(key: string, at: Date, outcome: RequestOutcome): Promise<void> {
    this.check();
    const request = this.db.requests.get(key);
    if (request && !request.finishedAt) this.db.requests.set(key, { ...request, finishedAt: at.toISOString(), outcome });
  }

  async extendRequestLeases(ownerId: string, until: Date, keys?: readonly string[]): Promise<void> {
    this.check();
    for (const [key, request] of this.db.requests) {
      if (request.ownerId === ownerId && !request.finishedAt && (!keys || keys.includes(key))) this.db.requests.set(key, { ...request, leaseExpiresAt: until.toISOString() });
    }
  }

  async claimRequests(ownerId: string, now: Date, leaseEnd: Date, limit: number): Promise<AcceptedRequest[]> {
    this.check();
    const due = [...this.db.requests.values()]
      .filter((r) => !r.finishedAt && r.leaseExpiresAt <= now.toISOString())
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
      .slice(0, limit);
    return due.map((request) => {
      const claimed = { ...request, ownerId, leaseExpiresAt: leaseEnd.toISOString(), attempts: request.attempts + 1 };
      this.db.requests.set(request.key, claimed);
      return { key: claimed.key, kind: claimed.kind, payload: claimed.payload, receivedAt: claimed.receivedAt, attempts: claimed.attempts };
    });
  }

  async pruneRequests(before: Date): Promise<number> {
    this.check();
    let pruned = 0;
    for (const [key, request] of this.db.requests) {
      if (request.finishedAt && request.finishedAt < before.toISOString()) {
        this.db.requests.delete(key);
        pruned++;
      }
    }
    return pruned;
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.check();
    this.db.audit.push({ ...entry, id: ++this.db.auditSeq, actorKey: entry.actorKey ?? entry.actor.toLowerCase() });
  }

  async claimLeases(ownerId: string, deployIds: readonly string[], now: Date, until: Date): Promise<string[]> {
    this.check();
    const claimed: string[] = [];
    for (const id of deployIds) {
      const d = this.db.deploys.get(id);
      if (!d || isFinal(d.state)) continue;
      const free = !d.ownerId || d.ownerId === ownerId || !d.leaseExpiresAt || Date.parse(d.leaseExpiresAt) <= now.getTime();
      if (!free) continue;
      this.db.deploys.set(id, { ...d, ownerId, leaseExpiresAt: until.toISOString() });
      claimed.push(id);
    }
    return claimed;
  }

  async getDeploy(id: string): Promise<Deploy | undefined> {
    this.check();
    return this.db.deploys.get(id);
  }

  async listDeploys(filter: DeployFilter): Promise<Deploy[]> {
    this.check();
    return [...this.db.deploys.values()]
      .filter((d) => (!filter.service || d.service === filter.service) && (!filter.env || d.env === filter.env) && (!filter.states || filter.states.includes(d.state)))
      .filter((d) => !filter.actor || [d.actor, d.actorLogin].some((a) => a?.toLowerCase() === filter.actor!.toLowerCase()))
      .filter((d) => (!filter.requestedFrom || d.requestedAt >= filter.requestedFrom) && (!filter.requestedBefore || d.requestedAt < filter.requestedBefore))
      .filter((d) => filter.beforeSeq === undefined || d.seq < filter.beforeSeq)
      .sort((a, b) => b.seq - a.seq)
      .slice(0, filter.limit ?? 50);
  }

  async listQueue(service: string, env: string, limit?: number): Promise<Deploy[]> {
    this.check();
    const queue = this.queueOf(service, env);
    return limit === undefined ? queue : queue.slice(0, limit);
  }

  async countQueue(service: string, env: string): Promise<number> {
    this.check();
    return this.queueOf(service, env).length;
  }

  async queuePosition(deployId: string): Promise<number> {
    this.check();
    const deploy = this.db.deploys.get(deployId);
    if (!deploy || deploy.state !== "queued") return 0;
    return this.queueOf(deploy.service, deploy.env).findIndex((d) => d.id === deployId) + 1;
  }

  private queueOf(service: string, env: string): Deploy[] {
    return [...this.db.deploys.values()].filter((d) => d.service === service && d.env === env && d.state === "queued").sort((a, b) => a.seq - b.seq);
  }

  async getRunning(service: string, env: string): Promise<Deploy | undefined> {
    this.check();
    const id = this.db.slots.get(`${service}/${env}`);
    const holder = id ? this.db.deploys.get(id) : undefined;
    // Fails closed as the databases do: a deploy marked running without the slot still makes the target busy.
    return holder ?? [...this.db.deploys.values()].filter((d) => d.service === service && d.env === env && holdsSlot(d.state)).sort((a, b) => a.seq - b.seq)[0];
  }

  async listRunning(): Promise<Deploy[]> {
    this.check();
    return [...this.db.deploys.values()].filter((d) => holdsSlot(d.state));
  }

  async listQueuedTargets(): Promise<Array<{ service: string; env: string }>> {
    this.check();
    const seen = new Map<string, { service: string; env: string }>();
    for (const d of this.db.deploys.values()) if (d.state === "queued") seen.set(`${d.service}/${d.env}`, { service: d.service, env: d.env });
    return [...seen.values()];
  }

  async listSucceeded(service: string, env: string, limit: number): Promise<Deploy[]> {
    this.check();
    return [...this.db.deploys.values()]
      .filter((d) => d.service === service && d.env === env && d.state === "succeeded")
      .sort((a, b) => (b.finishedAt ?? "").localeCompare(a.finishedAt ?? "") || b.seq - a.seq)
      .slice(0, limit);
  }

  async latestSucceeded(targets: ReadonlyArray<{ readonly service: string; readonly env: string }>): Promise<Deploy[]> {
    const latest = await Promise.all(targets.map((t) => this.listSucceeded(t.service, t.env, 1)));
    return latest.flat();
  }

  async hasSucceeded(service: string, env: string, sha: string): Promise<boolean> {
    this.check();
    return [...this.db.deploys.values()].some((d) => d.service === service && d.env === env && d.sha === sha && d.state === "succeeded");
  }

  async listLocks(now: Date): Promise<Lock[]> {
    this.check();
    return [...this.db.locks.values()].filter((l) => lockActive(l, now));
  }

  async listUnnotified(limit: number): Promise<Deploy[]> {
    this.check();
    return [...this.db.deploys.values()].filter((d) => d.notifiedState !== d.state).sort((a, b) => a.seq - b.seq).slice(0, limit);
  }

  async listAudit(filter: { deployId?: string; limit?: number }): Promise<AuditEntry[]> {
    this.check();
    return this.db.audit
      .filter((e) => !filter.deployId || e.deployId === filter.deployId)
      .reverse()
      .slice(0, filter.limit ?? 50)
      .map(entryOf);
  }

  async queryAudit(q: AuditQuery): Promise<AuditRecord[]> {
    this.check();
    return this.db.audit
      .filter(
        (r) =>
          (q.service === undefined || r.service === q.service) &&
          (q.env === undefined || r.env === q.env) &&
          (q.actorKey === undefined || r.actorKey === q.actorKey) &&
          (q.deployId === undefined || r.deployId === q.deployId) &&
          (q.since === undefined || r.at >= q.since) &&
          (q.beforeId === undefined || r.id < q.beforeId),
      )
      .reverse()
      .slice(0, q.limit)
      .map((r) => ({ ...r }));
  }

  async findRunningByExecution(executionId: string): Promise<Deploy[]> {
    this.check();
    return [...this.db.deploys.values()].filter((d) => d.state === "running" && d.executionId === executionId);
  }

  async getReplica(id: string): Promise<ReplicaClaim | undefined> {
    this.check();
    return this.db.replicas.get(id);
  }

  async claimReplica(claim: ReplicaClaim, replacing: string | undefined): Promise<boolean> {
    this.check();
    if (this.db.replicas.get(claim.id)?.instance !== replacing) return false;
    this.db.replicas.set(claim.id, claim);
    return true;
  }

  async renewReplica(id: string, instance: string, until: Date): Promise<boolean> {
    const held = await this.getReplica(id);
    if (held?.instance !== instance) return false;
    this.db.replicas.set(id, { ...held, heartbeatUntil: until.toISOString() });
    return true;
  }

  async releaseReplica(id: string, instance: string): Promise<void> {
    if ((await this.getReplica(id))?.instance === instance) this.db.replicas.delete(id);
  }

  async claimDuty(name: string, now: Date, everyMs: number): Promise<boolean> {
    this.check();
    const last = this.db.duties.get(name);
    if (last !== undefined && now.getTime() - last < everyMs) return false;
    this.db.duties.set(name, now.getTime());
    return true;
  }

  async pruneHistory(before: Date, keepStageRuns: number): Promise<PrunedRows> {
    this.check();
    const cutoff = before.toISOString();
    const kept = this.db.audit.filter((e) => e.at >= cutoff);
    const audit = this.db.audit.length - kept.length;
    this.db.audit.splice(0, this.db.audit.length, ...kept);
    let keys = 0;
    for (const [key, { at }] of this.db.deployKeys) if (at < cutoff && this.db.deployKeys.delete(key)) keys++;
    for (const [key, at] of this.db.onceKeys) if (at < cutoff && this.db.onceKeys.delete(key)) keys++;
    const byStage = new Map<string, StageRun[]>();
    for (const run of this.db.stageRuns.values()) {
      const stage = JSON.stringify([run.service, run.env, run.stage]);
      byStage.set(stage, [...(byStage.get(stage) ?? []), run]);
    }
    const newest = new Set([...byStage.values()].flatMap((runs) => newestFirst(runs).slice(0, keepStageRuns)));
    let stageRuns = 0;
    for (const [key, run] of this.db.stageRuns) if (run.finishedAt < cutoff && !newest.has(run) && this.db.stageRuns.delete(key)) stageRuns++;
    return { audit, keys, requests: await this.pruneRequests(before), stageRuns };
  }

  async recordVote(vote: ApprovalVote): Promise<VoteResult> {
    this.check();
    return this.approvals.record(vote);
  }

  async listVotes(deployId: string): Promise<ApprovalVote[]> {
    this.check();
    return this.approvals.list(deployId);
  }

  async recordShipments(shipments: readonly PrShipment[]): Promise<void> {
    this.check();
    this.db.prNotices.record(shipments);
  }

  async markTakenOut(repo: string, prNumbers: readonly number[], service: string, env: string, takenOut: TakenOut): Promise<void> {
    this.check();
    this.db.prNotices.markTakenOut(repo, prNumbers, service, env, takenOut);
  }

  async claimPrNotice(repo: string, prNumber: number, claimant: string, now: Date, until: Date): Promise<PrNotice | undefined> {
    this.check();
    return this.db.prNotices.claim(repo, prNumber, claimant, now, until);
  }

  async releasePrNotice(repo: string, prNumber: number, claimant: string, shown?: ShownComment): Promise<void> {
    this.check();
    this.db.prNotices.release(repo, prNumber, claimant, shown);
  }

  async claimReminder(key: ReminderKey, claimant: string, now: Date, until: Date): Promise<boolean> {
    this.check();
    return this.db.reminders.claim(key, claimant, now, until);
  }

  async markReminderSent(key: ReminderKey, claimant: string, at: Date): Promise<void> {
    this.check();
    this.db.reminders.markSent(key, claimant, at);
  }

  async releaseReminder(key: ReminderKey, claimant: string): Promise<void> {
    this.check();
    this.db.reminders.release(key, claimant);
  }

  async pruneReminders(before: Date): Promise<number> {
    this.check();
    return this.db.reminders.prune(before);
  }

  async recordStageRuns(runs: readonly StageRun[]): Promise<void> {
    this.check();
    for (const run of runs) {
      const key = `${run.deployId} ${run.stage}`;
      if (!this.db.stageRuns.has(key)) this.db.stageRuns.set(key, { ...run });
    }
  }

  async recentStageDurations(service: string, env: string, stage: string, limit: number): Promise<number[]> {
    this.check();
    return newestFirst([...this.db.stageRuns.values()].filter((r) => r.service === service && r.env === env && r.stage === stage))
      .slice(0, limit)
      .map(stageRunMs);
  }

  async recordPullMerge(merge: PullMerge): Promise<void> {
    this.check();
    this.db.dora.recordMerge(merge);
  }

  async readDoraFacts(query: DoraFactQuery): Promise<DoraFacts> {
    this.check();
    return this.db.dora.read(query);
  }

  async ping(): Promise<void> {
    this.check();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A stage's runs as the databases rank them: newest finish first, then the larger deploy id. */
function newestFirst(runs: readonly StageRun[]): StageRun[] {
  return [...runs].sort((a, b) => (a.finishedAt === b.finishedAt ? (a.deployId < b.deployId ? 1 : -1) : a.finishedAt < b.finishedAt ? 1 : -1));
}
