import { describeChangeSet } from "../changes/describe-change-set.js";
import type { ChangeSet } from "../model/change-set.js";
import type { Deploy, Verification } from "../model/deploy.js";
import type { ChangeSetView, DeployView, VerificationView } from "./command-result.js";

/** The public shape of a deploy (API, CLI, Action): no lease or internal ids. */
export function toDeployView(deploy: Deploy, extra: { queuePosition?: number; executionUrl?: string } = {}): DeployView {
  return {
    id: deploy.id,
    service: deploy.service,
    env: deploy.env,
    sha: deploy.sha,
    ref: deploy.ref,
    actor: deploy.actor,
    surface: deploy.surface,
    state: deploy.state,
    ...(extra.queuePosition !== undefined ? { queuePosition: extra.queuePosition } : {}),
    stages: deploy.stages.map((s) => ({
      name: s.name,
      state: s.status,
      ...(s.startedAt ? { startedAt: s.startedAt } : {}),
      ...(s.finishedAt ? { finishedAt: s.finishedAt } : {}),
    })),
    artifact: deploy.artifact ?? null,
    ...(deploy.executionId ? { executionId: deploy.executionId } : {}),
    ...(extra.executionUrl ? { executionUrl: extra.executionUrl } : {}),
    ...(deploy.error ? { error: deploy.error } : {}),
    ...(deploy.waitingReason ? { waitingReason: deploy.waitingReason } : {}),
    ...(deploy.rollbackOf ? { rollbackOf: deploy.rollbackOf } : {}),
    ...(deploy.autoRollbackId ? { autoRollbackId: deploy.autoRollbackId } : {}),
    forced: deploy.forced,
    ...(deploy.reason ? { reason: deploy.reason } : {}),
    requestedAt: deploy.requestedAt,
    ...(deploy.approval ? { approval: { required: deploy.approval.required, approvedBy: [...deploy.approval.approvedBy], expiresAt: deploy.approval.expiresAt } } : {}),
    ...(deploy.startedAt ? { startedAt: deploy.startedAt } : {}),
    ...(deploy.finishedAt ? { finishedAt: deploy.finishedAt } : {}),
    ...(deploy.changeSet ? { changeSet: changeSetView(deploy.changeSet) } : {}),
    ...(deploy.verification ? { verification: verificationView(deploy.verification) } : {}),
    ...(deploy.reasonCode ? { reasonCode: deploy.reasonCode } : {}),
  };
}

/** Every surface shows at most MAX_LISTED_PULLS PRs: the full list (up to 250) is only for telling their authors. */
function changeSetView({ allPulls: _everyPull, ...shown }: ChangeSet): ChangeSetView {
  return { ...shown, summary: describeChangeSet(shown) };
}

function verificationView({ alarms, startedAt, endsAt, onAlarm, problem, holding, heldToEnd }: Verification): VerificationView {
  return { alarms: [...alarms], startedAt, endsAt, onAlarm, ...(problem ? { problem: problem.message } : {}), ...(holding?.length ? { holding: [...holding] } : {}), ...(heldToEnd ? { heldToEnd } : {}) };
}

export const shortSha = (sha: string): string => sha.slice(0, 7);
