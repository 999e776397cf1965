import type { WhistlestopConfig } from "../model/config.js";
import { holdsSlot, type Deploy, type DeployPatch, type NewDeploy } from "../model/deploy.js";
import { resolveTarget } from "../model/resolve-target.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { DeployEventType } from "../ports/notifier.js";
import { PipelineError, type Pipeline } from "../ports/pipeline.js";
import type { ReasonCode } from "../policies/decision.js";
import type { InsertDeployOptions, Store } from "../ports/store.js";
import type { Tracker } from "../ports/tracker.js";
import type { NotificationQueue } from "./notification-queue.js";
import type { GateVerdict, QueueGate } from "./queue-gate.js";
import { expireApproval, expireDueApprovals } from "./approval-expiry.js";
import { auditSystemDecision } from "./system-audit.js";
import { mayReport } from "./report-ownership.js";
import { reconcileExecution } from "./reconcile-execution.js";
import type { Alarms } from "../ports/alarms.js";
import { VerificationRunner, type VerificationOutcome } from "./verification-runner.js";

export interface OrchestratorDeps {
  readonly store: Store;
  readonly pipeline: Pipeline;
  readonly notifications: NotificationQueue;
  readonly gate: QueueGate;
  readonly tracker: Tracker;
  readonly clock: Clock;
  readonly config: WhistlestopConfig;
  readonly logger: Logger;
  /** This replica's id: the owner of the leases it takes. */
  readonly replicaId: string;
  /** How long a lease on a running deploy holds without renewal. */
  readonly leaseMs?: number;
  /** CloudWatch, for deploys whose environment has verify; without it they succeed with their pipeline. */
  readonly alarms?: Alarms;
}

/** "done", "changed", "unchanged", or, for a deploy verifying its alarms, when to look again. */
export type ReconcileOutcome = "changed" | "unchanged" | VerificationOutcome;

export interface EnqueueOptions extends Omit<InsertDeployOptions, "startIfFree"> {
  /** The policies let this deploy through for this very request (see enqueue). */
  readonly decided?: boolean;
}

export type EnqueueResult =
  | { readonly kind: "accepted"; readonly deploy: Deploy; readonly queuePosition?: number }
  | { readonly kind: "duplicate"; readonly deploy?: Deploy };

/**
 * A deploy's life after the policies said yes: queue → start → follow → finish → next.
 * The store decides every race (one running slot per service/env, CAS on state), so several
 * replicas can run this at once.
 */
export class DeployOrchestrator {
  private readonly verifier: VerificationRunner;

  constructor(private readonly deps: OrchestratorDeps) {
    this.verifier = new VerificationRunner(deps, (deploy, state, patch) => this.finish(deploy, state, patch, "verifying"));
  }

  /**
   * Queue a deploy the policies let through. `decided`: they did so just now, for this request, so
   * when nothing runs or waits ahead of it the deploy takes the running slot in the insert's own
   * transaction and starts at once, without being decided a second time at its "turn".
   */
  async enqueue(deploy: NewDeploy, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    const { store, notifications, clock } = this.deps;
    const { decided, ...insertOptions } = options;
    const startIfFree = decided ? { startIfFree: { at: clock.now(), lease: { ownerId: this.deps.replicaId, until: this.leaseEnd() } } } : {};
    const inserted = await store.insertDeploy(deploy, { ...insertOptions, ...startIfFree });
    if (inserted.kind === "duplicate") return { kind: "duplicate", ...(inserted.existing ? { deploy: inserted.existing } : {}) };
    if (inserted.deploy.state === "awaiting_approval") {
      // Not in the queue: nothing moves until the last approval arrives (admit).
      notifications.send("awaiting_approval", inserted.deploy);
      return { kind: "accepted", deploy: inserted.deploy };
    }
    const started = inserted.deploy.state === "running" ? await this.launch(inserted.deploy) : undefined;
    for (const old of inserted.superseded) {
      const reason = `superseded by ${shortId(deploy.id)} (${deploy.sha.slice(0, 7)})`;
      notifications.send("superseded", old, reason);
      await auditSystemDecision(this.deps, old, "supersede", "superseded", reason, "superseded");
    }
    if (started) return { kind: "accepted", deploy: started };
    await this.advance(deploy.service, deploy.env);
    const now = (await store.getDeploy(deploy.id)) ?? inserted.deploy;
    if (now.state !== "queued") return { kind: "accepted", deploy: now };
    const position = await store.queuePosition(deploy.id);
    if (!now.waitingReason) notifications.send("queued", now, `position ${position} in the queue`);
    return { kind: "accepted", deploy: now, queuePosition: position };
  }

  /**
   * Start the head of the (service, env) queue if the slot is free and the policies still pass.
   * `decided`: the id of a deploy whose turn decide() answered "go" just now (admit), not asked again.
   */
  async advance(service: string, env: string, decided?: string): Promise<void> {
    const { store, gate, clock } = this.deps;
    for (;;) {
      if (await store.getRunning(service, env)) return;
      const [head] = await store.listQueue(service, env, 1);
      if (!head) return;
      const verdict: GateVerdict = head.id === decided ? { kind: "go" } : await gate.check(head);
      if (verdict.kind === "wait") return this.hold(head, verdict);
      if (verdict.kind === "drop") {
        await this.hold(head, verdict);
        continue;
      }
      // The slot and this replica's lease in one write: the start follows at once.
      if (!(await store.claimSlot(head.id, clock.now(), { ownerId: this.deps.replicaId, until: this.leaseEnd() }))) return;
      await this.start(head.id, true);
      return;
    }
  }

  /**
   * A deploy whose last approval just arrived (now queued): decided at once as at its turn
   * (decide.ts through the gate), so a lock taken meanwhile drops it and a window makes it wait;
   * when it may go and nothing runs or waits ahead of it, it starts. Returns it as it then stands.
   */
  async admit(deploy: Deploy): Promise<Deploy> {
    const verdict = await this.deps.gate.check(deploy);
    if (verdict.kind === "go") await this.advance(deploy.service, deploy.env, deploy.id);
    else await this.hold(deploy, verdict);
    const now = (await this.deps.store.getDeploy(deploy.id)) ?? deploy;
    if (now.state === "queued" && !now.waitingReason) this.deps.notifications.send("queued", now, `position ${await this.deps.store.queuePosition(now.id)} in the queue`);
    return now;
  }

  /** Report a change the command handlers made (an approval counted, a rejection) on every surface. */
  report(type: DeployEventType, deploy: Deploy, note?: string): void {
    this.deps.notifications.send(type, deploy, note);
  }

  /** Lapse an approval request that is past its time (a late click); see approval-expiry.ts. */
  expireApproval(deploy: Deploy): Promise<Deploy | undefined> {
    return expireApproval(this.deps, deploy);
  }

  /** A queued deploy that may not go: it waits (and says why) or is dropped with its reason code. */
  private async hold(deploy: Deploy, verdict: Exclude<GateVerdict, { kind: "go" }>): Promise<void> {
    const { store, notifications, clock } = this.deps;
    if (verdict.kind === "wait") {
      if (deploy.waitingReason === verdict.reason) return;
      const updated = await store.updateDeploy(deploy.id, { waitingReason: verdict.reason }, "queued");
      if (updated) notifications.send("waiting", updated, verdict.reason);
      return;
    }
    const at = clock.now().toISOString();
    const dropped = await store.updateDeploy(deploy.id, { state: "cancelled", error: verdict.reason, reasonCode: verdict.reasonCode, finishedAt: at }, "queued");
    if (!dropped) return;
    notifications.send("cancelled", dropped, verdict.reason);
    await auditSystemDecision(this.deps, dropped, "drop", "dropped", verdict.reason, verdict.reasonCode);
  }

  /** Make sure a running deploy has its execution; safe to repeat (clientRequestToken = deploy id). */
  async start(deployId: string, leased = false): Promise<void> {
    const claimed = leased || (await this.claimLease(deployId));
    const deploy = await this.deps.store.getDeploy(deployId);
    if (!claimed || !deploy || deploy.state !== "running") return;
    await this.launch(deploy);
  }

  /** Start the pipeline of a running deploy this replica holds; returns the deploy as it then stands. */
  private async launch(deploy: Deploy): Promise<Deploy> {
    const { store, pipeline, tracker, notifications, config } = this.deps;
    const target = resolveTarget(config, deploy.service, deploy.env);
    try {
      const { executionId } =
        deploy.rollbackTargetExecutionId && target
          ? await pipeline.rollbackStage(deploy.pipelineName, target.deployStage, deploy.rollbackTargetExecutionId)
          : await pipeline.start({
              pipelineName: deploy.pipelineName,
              sourceAction: target?.sourceAction ?? config.defaults.sourceAction,
              sha: deploy.sha,
              deployId: deploy.id,
              actor: deploy.actor,
            });
      const stages = deploy.stages.length ? deploy.stages : (target?.stages ?? []).map((name) => ({ name, status: "waiting" as const }));
      const started = await store.updateDeploy(deploy.id, { executionId, stages, waitingReason: undefined }, "running");
      if (!started) return (await store.getDeploy(deploy.id)) ?? deploy;
      notifications.send("started", started);
      tracker.track(deploy.id);
      return started;
    } catch (error) {
      if (error instanceof PipelineError && !error.retryable) {
        await this.finish(deploy, "failed", { error: error.message });
        return (await store.getDeploy(deploy.id)) ?? deploy;
      }
      // Throttled or unreachable: stay running without an execution; the tracker retries the
      // start with the same token, which can never make a second execution.
      this.deps.logger.warn({ err: error, deployId: deploy.id }, "pipeline start failed; will retry");
      tracker.track(deploy.id);
      return deploy;
    }
  }

  /**
   * Bring a running deploy up to date with its execution, or take the next step of a verifying one.
   * "done" once the deploy needs no more following (finished, gone, or owned by another replica);
   * "changed" when something moved, so the tracker polls it sooner.
   */
  async reconcile(deployId: string): Promise<ReconcileOutcome> {
    const { store, pipeline, notifications, config } = this.deps;
    const deploy = await store.getDeploy(deployId);
    if (!deploy || !holdsSlot(deploy.state)) return "done";
    if (deploy.ownerId && deploy.ownerId !== this.deps.replicaId) return "done";
    if (deploy.state === "verifying") return this.verifier.step(deploy);
    if (!deploy.executionId) {
      await this.start(deployId);
      return "changed";
    }
    let snapshot;
    try {
      snapshot = await pipeline.getExecution(deploy.pipelineName, deploy.executionId);
    } catch (error) {
      // An execution CodePipeline no longer knows (deleted pipeline, wrong account) will never
      // finish: say so instead of following it forever. Transient errors are the tracker's to retry.
      if (error instanceof PipelineError && !error.retryable) {
        await this.finish(deploy, "failed", { error: error.message });
        return "done";
      }
      throw error;
    }
    const { patch, finalState } = reconcileExecution(deploy, snapshot, config.services[deploy.service]?.stages);
    if (finalState === "succeeded") {
      const verifying = await this.verifier.begin(deploy, patch ?? {});
      if (verifying) return verifying;
    }
    if (finalState) {
      await this.finish(deploy, finalState, patch ?? {});
      return "done";
    }
    if (patch) {
      const updated = await store.updateDeploy(deploy.id, patch, "running");
      if (updated) notifications.send("progress", updated);
      return "changed";
    }
    return "unchanged";
  }

  /** Stop a running deploy's execution; the deploy becomes cancelled when CodePipeline says it stopped. */
  async stop(deploy: Deploy, reason: string): Promise<void> {
    if (!deploy.executionId) return this.finish(deploy, "cancelled", { error: reason });
    // Remember who stopped it: the execution itself only reports "Stopped".
    await this.deps.store.updateDeploy(deploy.id, { error: reason }, "running");
    await this.deps.pipeline.stop(deploy.pipelineName, deploy.executionId, reason);
    this.deps.tracker.track(deploy.id);
  }

  /** Stop verifying a deploy (a person's cancel): it ends succeeded, its release being live. */
  stopVerifying(deploy: Deploy, by: string): Promise<Deploy | undefined> {
    return this.verifier.stopEarly(deploy, by);
  }

  /** Drop a queued deploy; `reasonCode` when Whistlestop refused it rather than someone cancelling it. */
  async dropQueued(deploy: Deploy, reason: string, reasonCode?: ReasonCode): Promise<Deploy | undefined> {
    const at = this.deps.clock.now().toISOString();
    const dropped = await this.deps.store.updateDeploy(deploy.id, { state: "cancelled", error: reason, ...(reasonCode ? { reasonCode } : {}), finishedAt: at }, "queued");
    if (dropped) this.deps.notifications.send("cancelled", dropped, reason);
    return dropped;
  }

  private async finish(deploy: Deploy, state: "succeeded" | "failed" | "cancelled", patch: DeployPatch, from: "running" | "verifying" = "running"): Promise<void> {
    const { store, notifications, tracker, clock } = this.deps;
    const finished = await store.updateDeploy(deploy.id, { ...patch, state, finishedAt: clock.now().toISOString() }, from);
    tracker.untrack(deploy.id);
    if (finished) notifications.send(state, finished);
    await this.advance(deploy.service, deploy.env);
  }

  /**
   * Periodic duty of every replica: renew its leases, take over deploys whose owner died, follow
   * every running deploy it owns, start queues that can move, and re-send missed reports.
   */
  async sweep(): Promise<void> {
    const { store, tracker } = this.deps;
    const running = await store.listRunning();
    const mine = await store.claimLeases(this.deps.replicaId, running.map((d) => d.id), this.deps.clock.now(), this.leaseEnd());
    for (const id of mine) tracker.track(id);
    for (const { service, env } of await store.listQueuedTargets()) await this.advance(service, env);
    const now = this.deps.clock.now().getTime();
    const leaseMs = this.deps.leaseMs ?? DEFAULT_LEASE_MS;
    await this.deps.notifications.catchUp(100, (deploy) => mayReport(deploy, this.deps.replicaId, now, leaseMs));
    // Any replica may lapse a request: the compare-and-set lets one of them do each.
    await expireDueApprovals(this.deps);
  }

  private async claimLease(deployId: string): Promise<boolean> {
    const claimed = await this.deps.store.claimLeases(this.deps.replicaId, [deployId], this.deps.clock.now(), this.leaseEnd());
    return claimed.includes(deployId);
  }

  private leaseEnd(): Date {
    return new Date(this.deps.clock.now().getTime() + (this.deps.leaseMs ?? DEFAULT_LEASE_MS));
  }
}

const shortId = (id: string): string => id.slice(0, 12);
/** How long a replica's claim holds unrenewed (a dead replica's work must move to another within a minute). */
export const DEFAULT_LEASE_MS = 45_000;
