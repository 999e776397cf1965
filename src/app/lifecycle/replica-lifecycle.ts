import type { Logger } from "../../core/ports/logger.js";
import type { Timers } from "../../ports/timers.js";
import type { Surface } from "../../ports/surface.js";
import type { ProgressTracker } from "../progress-tracker.js";
import type { RequestInbox } from "../request-inbox.js";
import type { FreezeReconciler } from "../freeze-reconciler.js";
import type { RetentionDuty } from "../retention-duty.js";
import type { ReminderDuty } from "../reminder-duty.js";
import type { WatchdogDuty } from "../watchdog-duty.js";
import type { ReplicaIdentity } from "./replica-identity.js";
import { DEFAULT_SHUTDOWN_MS, runShutdown } from "./run-shutdown.js";
import { shutdownSteps, type ShutdownParts } from "./shutdown-steps.js";

/** How often a replica renews its id and leases, takes over orphans and restarts stuck queues. */
export const DEFAULT_SWEEP_INTERVAL_MS = 15_000;

/** What the replica runs over its life; each is built by the composition root. */
export interface ReplicaParts extends ShutdownParts {
  readonly replicaId: string;
  readonly identity: Pick<ReplicaIdentity, "renew" | "release">;
  readonly orchestrator: { sweep(): Promise<void> };
  readonly inbox: Pick<RequestInbox, "sweep" | "idle" | "handBack">;
  readonly tracker: Pick<ProgressTracker, "tracked" | "poke" | "stop">;
  readonly freezes: Pick<FreezeReconciler, "reconcile" | "stop">;
  readonly retention: Pick<RetentionDuty, "start" | "stop">;
  /** Lock reminders, window announcements and the start of what a window held. */
  readonly reminders: Pick<ReminderDuty, "start" | "stop">;
  /** Warns about hung stages and silent deploys among those this replica follows. */
  readonly watchdog: Pick<WatchdogDuty, "start" | "stop">;
  readonly surfaces: ReadonlyArray<Pick<Surface, "name" | "start" | "stop">>;
  /** Reads each pipeline's declaration ahead of its first deploy; asks `stopped` between pipelines. */
  readonly warmUp: (stopped: () => boolean) => Promise<void>;
}

export interface ReplicaLifecycleOptions {
  readonly timers: Timers;
  readonly logger: Logger;
  /** Default DEFAULT_SWEEP_INTERVAL_MS. */
  readonly sweepIntervalMs?: number | undefined;
  /** Longest wait for Slack/GitHub reports at shutdown; the rest are re-sent after restart. Default 10 s. */
  readonly shutdownReportsMs?: number | undefined;
  /** How long a graceful stop may spend on in-flight work before handing everything back; default 25 s. */
  readonly shutdownMs?: number | undefined;
}

/**
 * One replica's life after the composition root has built it: what it does at start, at every
 * sweep, and in what order it hands its work back at a graceful stop. Knows nothing of how the
 * parts are made, so its tests drive it with fakes and manual timers.
 */
export class ReplicaLifecycle {
  private sweepTimer: unknown;
  private stopped = false;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly parts: ReplicaParts,
    private readonly options: ReplicaLifecycleOptions,
  ) {}

  /**
   * Restart safety first: follow every running deploy again, resume queues, finish reports and
   * work on the requests accepted before the restart. Then the background duties, then the
   * sweep loop. Resolves once the restart sweep is done; warm-up and freezes go on by themselves.
   */
  async start(): Promise<void> {
    const { parts } = this;
    for (const surface of parts.surfaces) await surface.start?.();
    await this.sweep(true);
    // Catch up with what happened while no server was running now, not at the first poll.
    for (const id of parts.tracker.tracked()) parts.tracker.poke(id);
    // Not awaited: start-up must not wait on CodePipeline; the reconciler retries by itself.
    void parts.freezes.reconcile();
    parts.retention.start();
    parts.reminders.start();
    parts.watchdog.start();
    void parts.warmUp(() => this.stopped).catch((error: unknown) => this.options.logger.warn({ err: error }, "pipeline warm-up failed; the first deploy reads its pipeline itself"));
    this.scheduleSweep();
  }

  /**
   * Renew the replica id, sweep the deploys (leases, orphans, stuck queues, unsent reports), take
   * over accepted requests whose lease ran out. A failing part is logged and the others still
   * run; the next sweep retries it.
   */
  async sweep(restarted = false): Promise<void> {
    const { parts, options } = this;
    const steps: ReadonlyArray<readonly [string, () => Promise<unknown>]> = [
      ["replica id", () => this.renewIdentity()],
      ["deploys", () => parts.orchestrator.sweep()],
      ["accepted requests", () => parts.inbox.sweep({ restarted })],
    ];
    for (const [part, run] of steps) {
      try {
        await run();
      } catch (error) {
        options.logger.warn({ err: error, part }, "sweep failed; will retry");
      }
    }
  }

  /** Graceful stop, once however often it is asked for; never rejects. Leaves the store open. */
  stop(): Promise<void> {
    this.stopping ??= this.runStop();
    return this.stopping;
  }

  private async runStop(): Promise<void> {
    const { timers, logger } = this.options;
    this.stopped = true;
    if (this.sweepTimer !== undefined) timers.clearTimeout(this.sweepTimer);
    const steps = shutdownSteps(this.parts, { timers, logger, reportsMs: this.options.shutdownReportsMs ?? 10_000 });
    await runShutdown(steps, timers, logger, { deadlineMs: this.options.shutdownMs ?? DEFAULT_SHUTDOWN_MS });
  }

  private async renewIdentity(): Promise<void> {
    if (!(await this.parts.identity.renew())) {
      this.options.logger.error({ replica: this.parts.replicaId }, "another server has taken this replica id; give each server its own WHISTLESTOP_REPLICA_ID");
    }
  }

  /** The next sweep starts an interval after the last one ended, so sweeps never overlap. */
  private scheduleSweep(): void {
    if (this.stopped) return;
    this.sweepTimer = this.options.timers.setTimeout(() => void this.sweep().finally(() => this.scheduleSweep()), this.options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  }
}
