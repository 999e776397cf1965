import { sql } from "kysely";
import type { AcceptedRequest, RequestOutcome } from "../../core/model/accepted-request.js";
import type { AuditEntry, AuditQuery, AuditRecord } from "../../core/model/audit.js";
import type { Deploy, DeployPatch, DeployState, NewDeploy } from "../../core/model/deploy.js";
import type { Lock } from "../../core/model/lock.js";
import type { NewAcceptedRequest } from "../../core/ports/accepted-requests.js";
import type { PrunedRows, ReplicaClaim } from "../../core/ports/operations-store.js";
import type { OAuthState, PersonalToken, SlackLink, SlackUserRef } from "../../core/ports/identity-store.js";
import type { PrNotice, PrShipment, ShownComment, TakenOut } from "../../core/model/pr-notice.js";
import type { DeployFilter, InsertDeployOptions, InsertDeployResult, SlotLease, Store, TakeLockResult } from "../../core/ports/store.js";
import type { ApprovalVote, VoteResult } from "../../core/model/approval.js";
import type { ReminderKey } from "../../core/ports/reminder-store.js";
import * as requests from "./accepted-request-queries.js";
import * as approvals from "./approval-queries.js";
import { appendAudit, listAudit, queryAudit } from "./audit-queries.js";
import * as deploys from "./deploy-queries.js";
import * as identity from "./identity-queries.js";
import * as writes from "./deploy-writes.js";
import { recordKey } from "./key-queries.js";
import { listLocks, releaseLock, takeLock } from "./lock-queries.js";
import * as operations from "./operations-queries.js";
import * as prNotices from "./pr-notice-queries.js";
import * as reminders from "./reminder-queries.js";
import * as sessions from "./dashboard-session-queries.js";
import type { DashboardSession, SessionSelector } from "../../core/ports/dashboard-session-store.js";
import * as stageRuns from "./stage-run-queries.js";
import { KyselyHistoryReads } from "./kysely-history-reads.js";
import type { StageRun } from "../../core/model/stage-run.js";
import type { StoreDialect } from "./store-context.js";

/** The Store port on Kysely: one implementation, the dialect only switches a few locking details. */
export class KyselyStore extends KyselyHistoryReads implements Store {
  private closed = false;

  get dialect(): StoreDialect {
    return this.ctx.dialect;
  }

  getDeploy(id: string): Promise<Deploy | undefined> {
    return deploys.getDeploy(this.ctx, id);
  }

  listDeploys(filter: DeployFilter): Promise<Deploy[]> {
    return deploys.listDeploys(this.ctx, filter);
  }

  listQueue(service: string, env: string, limit?: number): Promise<Deploy[]> {
    return deploys.listQueue(this.ctx, service, env, limit);
  }

  countQueue(service: string, env: string): Promise<number> {
    return deploys.countQueue(this.ctx, service, env);
  }

  queuePosition(deployId: string): Promise<number> {
    return deploys.queuePosition(this.ctx, deployId);
  }

  getRunning(service: string, env: string): Promise<Deploy | undefined> {
    return deploys.getRunning(this.ctx, service, env);
  }

  listRunning(): Promise<Deploy[]> {
    return deploys.listRunning(this.ctx);
  }

  listQueuedTargets(): Promise<Array<{ service: string; env: string }>> {
    return deploys.listQueuedTargets(this.ctx);
  }

  listSucceeded(service: string, env: string, limit: number): Promise<Deploy[]> {
    return deploys.listSucceeded(this.ctx, service, env, limit);
  }

  hasSucceeded(service: string, env: string, sha: string): Promise<boolean> {
    return deploys.hasSucceeded(this.ctx, service, env, sha);
  }

  listLocks(now: Date): Promise<Lock[]> {
    return listLocks(this.ctx, now);
  }

  listUnnotified(limit: number): Promise<Deploy[]> {
    return deploys.listUnnotified(this.ctx, limit);
  }

  insertDeploy(deploy: NewDeploy, options?: InsertDeployOptions): Promise<InsertDeployResult> {
    return writes.insertDeploy(this.ctx, deploy, options);
  }

  claimSlot(deployId: string, at: Date, lease?: SlotLease): Promise<boolean> {
    return writes.claimSlot(this.ctx, deployId, at, lease);
  }

  updateDeploy(id: string, patch: DeployPatch, expectedState?: DeployState): Promise<Deploy | undefined> {
    return writes.updateDeploy(this.ctx, id, patch, expectedState);
  }

  markNotified(id: string, state: DeployState): Promise<void> {
    return writes.markNotified(this.ctx, id, state);
  }

  takeLock(lock: Lock, now: Date): Promise<TakeLockResult> {
    return takeLock(this.ctx, lock, now);
  }

  releaseLock(service: string, env: string): Promise<Lock | undefined> {
    return releaseLock(this.ctx, service, env);
  }

  recordKey(key: string, at: Date): Promise<boolean> {
    return recordKey(this.ctx, key, at);
  }

  appendAudit(entry: AuditEntry): Promise<void> {
    return appendAudit(this.ctx, entry);
  }

  claimLeases(ownerId: string, deployIds: readonly string[], now: Date, until: Date): Promise<string[]> {
    return writes.claimLeases(this.ctx, ownerId, deployIds, now, until);
  }

  acceptRequests(batch: readonly NewAcceptedRequest[], ownerId: string, leaseEnd: Date): Promise<string[]> {
    return requests.acceptRequests(this.ctx, batch, ownerId, leaseEnd);
  }

  finishRequest(key: string, at: Date, outcome: RequestOutcome): Promise<void> {
    return requests.finishRequest(this.ctx, key, at, outcome);
  }

  extendRequestLeases(ownerId: string, until: Date, keys?: readonly string[]): Promise<void> {
    return requests.extendRequestLeases(this.ctx, ownerId, until, keys);
  }

  claimRequests(ownerId: string, now: Date, leaseEnd: Date, limit: number): Promise<AcceptedRequest[]> {
    return requests.claimRequests(this.ctx, ownerId, now, leaseEnd, limit);
  }

  pruneRequests(before: Date): Promise<number> {
    return requests.pruneRequests(this.ctx, before);
  }

  findRunningByExecution(executionId: string): Promise<Deploy[]> {
    return operations.findRunningByExecution(this.ctx, executionId);
  }

  getReplica(id: string): Promise<ReplicaClaim | undefined> {
    return operations.getReplica(this.ctx, id);
  }

  claimReplica(claim: ReplicaClaim, replacing: string | undefined): Promise<boolean> {
    return operations.claimReplica(this.ctx, claim, replacing);
  }

  renewReplica(id: string, instance: string, until: Date): Promise<boolean> {
    return operations.renewReplica(this.ctx, id, instance, until);
  }

  releaseReplica(id: string, instance: string): Promise<void> {
    return operations.releaseReplica(this.ctx, id, instance);
  }

  claimDuty(name: string, now: Date, everyMs: number): Promise<boolean> {
    return operations.claimDuty(this.ctx, name, now, everyMs);
  }

  pruneHistory(before: Date, keepStageRuns: number): Promise<PrunedRows> {
    return operations.pruneHistory(this.ctx, before, keepStageRuns);
  }

  putSlackLink(link: SlackLink): Promise<void> {
    return identity.putSlackLink(this.ctx, link);
  }

  getSlackLink(user: SlackUserRef): Promise<SlackLink | undefined> {
    return identity.getSlackLink(this.ctx, user);
  }

  findSlackLinksByLogins(logins: readonly string[]): Promise<SlackLink[]> {
    return identity.findSlackLinksByLogins(this.ctx, logins);
  }

  deleteSlackLink(user: SlackUserRef): Promise<SlackLink | undefined> {
    return identity.deleteSlackLink(this.ctx, user);
  }

  createOAuthState(state: OAuthState): Promise<void> {
    return identity.createOAuthState(this.ctx, state);
  }

  findOAuthState(stateHash: string, now: Date): Promise<OAuthState | undefined> {
    return identity.findOAuthState(this.ctx, stateHash, now);
  }

  takeOAuthState(stateHash: string, now: Date): Promise<OAuthState | undefined> {
    return identity.takeOAuthState(this.ctx, stateHash, now);
  }

  insertPersonalToken(token: PersonalToken): Promise<void> {
    return identity.insertPersonalToken(this.ctx, token);
  }

  findPersonalToken(tokenHash: string): Promise<PersonalToken | undefined> {
    return identity.findPersonalToken(this.ctx, tokenHash);
  }

  listPersonalTokens(user: SlackUserRef): Promise<PersonalToken[]> {
    return identity.listPersonalTokens(this.ctx, user);
  }

  revokePersonalToken(id: string, owner: SlackUserRef, at: Date): Promise<PersonalToken | undefined> {
    return identity.revokePersonalToken(this.ctx, id, owner, at);
  }

  createDashboardSession(session: DashboardSession): Promise<void> {
    return sessions.createDashboardSession(this.ctx, session);
  }

  findDashboardSession(tokenHash: string): Promise<DashboardSession | undefined> {
    return sessions.findDashboardSession(this.ctx, tokenHash);
  }

  listDashboardSessions(now: Date): Promise<DashboardSession[]> {
    return sessions.listDashboardSessions(this.ctx, now);
  }

  revokeDashboardSessions(selector: SessionSelector, at: Date): Promise<DashboardSession[]> {
    return sessions.revokeDashboardSessions(this.ctx, selector, at);
  }

  recordVote(vote: ApprovalVote): Promise<VoteResult> {
    return approvals.recordVote(this.ctx, vote);
  }

  listVotes(deployId: string): Promise<ApprovalVote[]> {
    return approvals.listVotes(this.ctx, deployId);
  }

  recordShipments(shipments: readonly PrShipment[]): Promise<void> {
    return prNotices.recordShipments(this.ctx, shipments);
  }

  markTakenOut(repo: string, prNumbers: readonly number[], service: string, env: string, takenOut: TakenOut): Promise<void> {
    return prNotices.markTakenOut(this.ctx, repo, prNumbers, service, env, takenOut);
  }

  claimPrNotice(repo: string, prNumber: number, claimant: string, now: Date, until: Date): Promise<PrNotice | undefined> {
    return prNotices.claimPrNotice(this.ctx, repo, prNumber, claimant, now, until);
  }

  releasePrNotice(repo: string, prNumber: number, claimant: string, shown?: ShownComment): Promise<void> {
    return prNotices.releasePrNotice(this.ctx, repo, prNumber, claimant, shown);
  }

  claimReminder(key: ReminderKey, claimant: string, now: Date, until: Date): Promise<boolean> {
    return reminders.claimReminder(this.ctx, key, claimant, now, until);
  }

  markReminderSent(key: ReminderKey, claimant: string, at: Date): Promise<void> {
    return reminders.markReminderSent(this.ctx, key, claimant, at);
  }

  releaseReminder(key: ReminderKey, claimant: string): Promise<void> {
    return reminders.releaseReminder(this.ctx, key, claimant);
  }

  pruneReminders(before: Date): Promise<number> {
    return reminders.pruneReminders(this.ctx, before);
  }

  recordStageRuns(runs: readonly StageRun[]): Promise<void> {
    return stageRuns.recordStageRuns(this.ctx, runs);
  }

  recentStageDurations(service: string, env: string, stage: string, limit: number): Promise<number[]> {
    return stageRuns.recentStageDurations(this.ctx, service, env, stage, limit);
  }

  listAudit(filter: { deployId?: string; limit?: number }): Promise<AuditEntry[]> {
    return listAudit(this.ctx, filter);
  }

  queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
    return queryAudit(this.ctx, query);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error("store: closed");
    await sql`select 1`.execute(this.ctx.db);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ctx.batch?.flush();
    await this.ctx.db.destroy();
  }
}
