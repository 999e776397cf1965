import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { pipelineEventsHandler, PIPELINE_EVENTS_PATH } from "../adapters/pipeline-events/pipeline-events-mount.js";
import { ChangeSetBuilder } from "../core/changes/change-set-builder.js";
import { ChangeSetRecorder } from "../core/changes/change-set-recorder.js";
import { CommandService } from "../core/commands/command-service.js";
import { toDeployView } from "../core/commands/deploy-view.js";
import { DEFAULT_RETENTION_MS, type WhistlestopConfig } from "../core/model/config.js";
import { eventMatchesLocation, locatePipeline, type EventOrigin } from "../core/model/pipeline-location.js";
import { allTargets, pipelineLocation } from "../core/model/resolve-target.js";
import { DEFAULT_LEASE_MS, DeployOrchestrator } from "../core/orchestrator/deploy-orchestrator.js";
import { EventHub } from "../core/orchestrator/event-hub.js";
import { NotificationQueue } from "../core/orchestrator/notification-queue.js";
import { PolicyQueueGate } from "../core/orchestrator/policy-queue-gate.js";
import type { Clock, IdGenerator } from "../core/ports/clock.js";
import type { Pipeline } from "../core/ports/pipeline.js";
import type { Identity, SourceControl } from "../core/ports/source-control.js";
import type { Store } from "../core/ports/store.js";
import { DeployLogNotifier } from "./deploy-log-notifier.js";
import { FreezeReconciler } from "./freeze-reconciler.js";
import { StoredPersonalTokens } from "../adapters/identity/personal-tokens.js";
import { PeopleDirectory } from "../core/identity/people-directory.js";
import type { HttpMount, Surface, SurfaceFactory } from "../ports/surface.js";
import { realTimers, type Timers } from "../ports/timers.js";
import { startHttpServer, type ApiToken, type RunningHttpServer } from "./http-server.js";
import type { Logger } from "./logger.js";
import { Metrics, MetricsNotifier } from "./metrics.js";
import { NotifierList } from "./notifier-list.js";
import { DEFAULT_TRACKER_OPTIONS, ProgressTracker, type TrackerOptions } from "./progress-tracker.js";
import { ReplicaIdentity } from "./replica-identity.js";
import { RequestInbox } from "./request-inbox.js";
import { RetentionDuty } from "./retention-duty.js";
import { undeclaredClientProblems } from "./settings/declared-clients.js";
import { StartupError } from "./settings/startup-error.js";
import { DEFAULT_SHUTDOWN_MS, runShutdown } from "./run-shutdown.js";

export interface AppOptions {
  readonly config: WhistlestopConfig;
  readonly store: Store;
  readonly pipeline: Pipeline;
  readonly sourceControl: SourceControl;
  readonly identity: Identity;
  readonly apiTokens: readonly ApiToken[];
  /** Turns on POST /api/pipeline-events. */
  readonly pipelineEventsToken?: string;
  readonly port: number;
  readonly host?: string;
  readonly logger: Logger;
  readonly surfaces?: readonly SurfaceFactory[];
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly ids?: IdGenerator;
  readonly replicaId?: string;
  readonly tracker?: TrackerOptions;
  /** How often a replica renews leases, takes over orphans and restarts stuck queues; default 15 s. */
  readonly sweepIntervalMs?: number;
  readonly leaseMs?: number;
  /** Longest wait for Slack/GitHub reports at shutdown; the rest are re-sent after restart. Default 10 s. */
  readonly shutdownReportsMs?: number;
  /** How long a graceful stop may spend on in-flight work before handing everything back; default 25 s. */
  readonly shutdownMs?: number;
}

export interface RunningApp {
  readonly url: string;
  readonly http: RunningHttpServer;
  readonly runner: CommandService;
  readonly orchestrator: DeployOrchestrator;
  readonly tracker: ProgressTracker;
  readonly events: EventHub;
  readonly notifications: NotificationQueue;
  /** Works out each deploy's change set; `idle()` waits for those in progress (tests, shutdown). */
  readonly changeSets: ChangeSetRecorder;
  readonly metrics: Metrics;
  readonly freezes: FreezeReconciler;
  readonly inbox: RequestInbox;
  readonly replicaId: string;
  /** Run one sweep now (tests, start-up). */
  sweep(): Promise<void>;
  /** Graceful shutdown: stop taking commands, finish in-flight work and reports. Leaves the store open. */
  stop(): Promise<void>;
}

/** Deploy ids double as CodePipeline clientRequestTokens: ^[a-zA-Z0-9-]{1,128}$. */
export const randomIds: IdGenerator = { newId: () => `d-${Date.now().toString(36)}-${randomBytes(5).toString("hex")}` };
const systemClock: Clock = { now: () => new Date() };
/** The most a graceful stop waits for change sets still being compared. */
const CHANGE_SET_SHUTDOWN_MS = 3_000;

/** The composition root: builds the core, plugs in the adapters and surfaces, and runs the replica. */
export async function composeApp(options: AppOptions): Promise<RunningApp> {
  const { config, store, pipeline, logger } = options;
  const undeclared = undeclaredClientProblems(config, options.apiTokens, "whistlestop.yml");
  if (undeclared.length > 0) throw new StartupError(undeclared);
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? realTimers;
  const replicaId = options.replicaId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  // Before anything listens: a live server holding this id stops start-up here.
  const identity = new ReplicaIdentity({ store, id: replicaId, now: () => clock.now(), leaseMs });
  await identity.claim();
  const events = new EventHub();
  const metrics = new Metrics({ queueDepth: async () => (await store.listDeploys({ states: ["queued"], limit: 10_000 })).length });
  const notifiers = new NotifierList((error, event) => logger.warn({ err: error, deployId: event.deploy.id, type: event.type }, "a notifier failed"));
  notifiers.add(events);
  notifiers.add(new MetricsNotifier(metrics));
  notifiers.add(new DeployLogNotifier(logger));
  const notifications = new NotificationQueue(store, notifiers, clock, logger);
  // Each deploy's change set is worked out after it is stored and started, then shown everywhere;
  // without a source control that compares commits (no GitHub) deploys have none.
  // One builder, so every change set (and a future `diff`) shares its cache of comparisons.
  const changeSetBuilder = new ChangeSetBuilder(options.sourceControl, clock);
  const changeSets = new ChangeSetRecorder({ store, config, builder: changeSetBuilder, refresh: (id) => notifications.refresh(id), logger });
  if (options.sourceControl.compare) notifiers.add(changeSets);
  // The tracker calls the orchestrator, which is built next; the closure runs only after that.
  const tracker: ProgressTracker = new ProgressTracker((id) => orchestrator.reconcile(id), timers, logger, options.tracker ?? DEFAULT_TRACKER_OPTIONS);
  const orchestrator: DeployOrchestrator = new DeployOrchestrator({
    store,
    pipeline,
    notifications,
    gate: new PolicyQueueGate(config, store, clock),
    tracker,
    clock,
    config,
    logger,
    replicaId,
    leaseMs,
  });
  const inbox = new RequestInbox({ store, clock, logger, replicaId, leaseMs });
  const freezes = new FreezeReconciler(config, store, pipeline, clock, timers, logger);
  notifiers.add(freezes);
  const runner = new CommandService({
    config,
    store,
    orchestrator,
    pipeline,
    sourceControl: options.sourceControl,
    identity: options.identity,
    clock,
    ids: options.ids ?? randomIds,
    logger,
    onLocksChanged: () => void freezes.reconcile(),
  });

  const directory = new PeopleDirectory(config, store, (error) => logger.warn({ err: error }, "could not read a Slack user's link; treated as unlinked"));
  const surfaces: Surface[] = [];
  for (const factory of options.surfaces ?? []) {
    const surface = await factory({ config, directory, runner, store, clock, logger, pipeline, inbox });
    surfaces.push(surface);
    if (surface.notifier) notifiers.add(surface.notifier);
  }

  const mounts: HttpMount[] = surfaces.flatMap((s) => s.mounts ?? []);
  if (options.pipelineEventsToken) {
    // Events come from every account and region: the execution id finds the deploy, and its
    // pipeline's location must agree with where the event says it comes from.
    const onExecutionChanged = async (origin: EventOrigin, executionId: string) => {
      const deploy = (await store.findRunningByExecution(executionId)).find((d) => {
        const location = pipelineLocation(config, d.service, d.env, d.pipelineName) ?? locatePipeline(d.pipelineName, {});
        return eventMatchesLocation(location, origin);
      });
      if (deploy) tracker.poke(deploy.id);
      return deploy !== undefined;
    };
    mounts.push({ match: PIPELINE_EVENTS_PATH, handler: pipelineEventsHandler({ token: options.pipelineEventsToken, onExecutionChanged }), name: PIPELINE_EVENTS_PATH });
  }

  const http = await startHttpServer({
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    runner,
    events,
    apiTokens: options.apiTokens,
    personalTokens: new StoredPersonalTokens(store, directory, () => clock.now()),
    ready: () => store.ping(),
    metrics,
    logger,
    mounts,
    toView: (deploy) => toDeployView(deploy, deploy.executionId ? { executionUrl: pipeline.executionUrl(deploy.pipelineName, deploy.executionId) } : {}),
  });

  const sweep = async (restarted = false) => {
    const renewIdentity = async () => {
      if (!(await identity.renew())) logger.error({ replica: replicaId }, "another server has taken this replica id; give each server its own WHISTLESTOP_REPLICA_ID");
    };
    const parts = { "replica id": renewIdentity, deploys: () => orchestrator.sweep(), "accepted requests": () => inbox.sweep({ restarted }) };
    for (const [part, run] of Object.entries(parts)) {
      try {
        await run();
      } catch (error) {
        logger.warn({ err: error, part }, "sweep failed; will retry");
      }
    }
  };
  // A graceful stop lets the next replica (or this one restarted) follow our deploys at once
  // instead of waiting for the leases to expire.
  const handBackLeases = async () => {
    try {
      const mine = (await store.listRunning()).filter((d) => d.ownerId === replicaId).map((d) => d.id);
      await store.claimLeases(replicaId, mine, clock.now(), clock.now());
    } catch (error) {
      logger.warn({ err: error }, "could not hand back deploy leases; another replica takes them over when they expire");
    }
  };
  let sweepTimer: unknown;
  let stopped = false;
  const scheduleSweep = () => {
    if (stopped) return;
    sweepTimer = timers.setTimeout(() => void sweep().finally(scheduleSweep), options.sweepIntervalMs ?? 15_000);
  };
  for (const surface of surfaces) await surface.start?.();
  // Restart safety: follow every running deploy again, resume queues, finish reports,
  // work on the requests accepted before the restart.
  await sweep(true);
  // Catch up with what happened while no server was running now, not at the first poll.
  for (const id of tracker.tracked()) tracker.poke(id);
  // Not awaited: start-up must not wait on CodePipeline; the reconciler retries by itself.
  void freezes.reconcile();
  const retention = new RetentionDuty({ store, timers, logger, now: () => clock.now(), retentionMs: config.retentionMs ?? DEFAULT_RETENTION_MS });
  retention.start();
  // Each pipeline's declaration is read once now, one at a time (GetPipeline is rate-limited), so
  // the first deploy of each after a start does not wait for it.
  void (async () => {
    for (const name of new Set(allTargets(config).map((t) => t.pipeline))) {
      if (stopped) return;
      await pipeline.prepare(name);
    }
  })();
  scheduleSweep();

  return {
    url: http.url,
    http,
    runner,
    orchestrator,
    tracker,
    events,
    notifications,
    changeSets,
    metrics,
    freezes,
    inbox,
    replicaId,
    sweep: () => sweep(),
    async stop() {
      stopped = true;
      if (sweepTimer !== undefined) timers.clearTimeout(sweepTimer);
      const reportsMs = options.shutdownReportsMs ?? 10_000;
      const sleep = (ms: number) => new Promise<void>((resolve) => timers.setTimeout(resolve, ms));
      await runShutdown(
        [
          { name: "http drained", run: () => http.drain() },
          // In-flight polls are waited for only until the deadline: an unanswered one is left behind.
          { name: "tracker stopped", run: () => tracker.stop() },
          { name: "freezes stopped", run: () => freezes.stop() },
          { name: "retention stopped", run: () => retention.stop() },
          // A compare still out is waited for briefly: its card edit is one of the reports below.
          { name: "change sets recorded", run: (remainingMs) => Promise.race([changeSets.idle(), sleep(Math.min(CHANGE_SET_SHUTDOWN_MS, remainingMs))]) },
          {
            name: "reports delivered",
            run: async (remainingMs) => {
              if (!(await notifications.idleWithin(Math.min(reportsMs, remainingMs), sleep))) {
                logger.warn({}, "some reports were still being delivered; they are sent again after the restart");
              }
            },
          },
          { name: "leases handed back", run: () => handBackLeases(), always: true },
          { name: "replica id released", run: () => identity.release(), always: true },
          ...surfaces.map((surface) => ({ name: `${surface.name} stopped`, run: async () => surface.stop?.(), always: true })),
          {
            name: "accepted requests handed back",
            always: true,
            run: async () => {
              await inbox.idle();
              await inbox.handBack().catch((error: unknown) => logger.warn({ err: error }, "could not hand back accepted requests; another replica takes them when their leases expire"));
            },
          },
        ],
        timers,
        logger,
        { deadlineMs: options.shutdownMs ?? DEFAULT_SHUTDOWN_MS },
      );
    },
  };
}
