import { pipelineEventsHandler, PIPELINE_EVENTS_PATH } from "../adapters/pipeline-events/pipeline-events-mount.js";
import { rollBackFailedDeploys } from "../core/commands/auto-rollback.js";
import type { CommandDeps } from "../core/commands/command-deps.js";
import { ChangeSetBuilder } from "../core/changes/change-set-builder.js";
import { ChangeSetRecorder } from "../core/changes/change-set-recorder.js";
import { CommandService } from "../core/commands/command-service.js";
import { toDeployView } from "../core/commands/deploy-view.js";
import { DEFAULT_RETENTION_MS, type WhistlestopConfig } from "../core/model/config.js";
import { DEFAULT_LEASE_MS, DeployOrchestrator } from "../core/orchestrator/deploy-orchestrator.js";
import { EventHub } from "../core/orchestrator/event-hub.js";
import { NotificationQueue } from "../core/orchestrator/notification-queue.js";
import { PolicyQueueGate } from "../core/orchestrator/policy-queue-gate.js";
import type { Clock, IdGenerator } from "../core/ports/clock.js";
import type { Alarms } from "../core/ports/alarms.js";
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
import { registerDoraGauges } from "./dora-gauges.js";
import { doraReportsFor } from "../core/metrics/dora-report.js";
import { NotifierList } from "./notifier-list.js";
import { DEFAULT_TRACKER_OPTIONS, ProgressTracker, type TrackerOptions } from "./progress-tracker.js";
import { LoadPacer } from "./load-pacer.js";
import type { Pacer } from "../core/ports/pacer.js";
import { pokeDeployOfExecution } from "./execution-lookup.js";
import { leaseHandBack } from "./lifecycle/lease-hand-back.js";
import { pipelineWarmUp } from "./lifecycle/pipeline-warm-up.js";
import { ReplicaIdentity } from "./lifecycle/replica-identity.js";
import { ReplicaLifecycle } from "./lifecycle/replica-lifecycle.js";
import { RequestInbox } from "./request-inbox.js";
import { RetentionDuty } from "./retention-duty.js";
import { ReminderDuty } from "./reminder-duty.js";
import { runReminderRound } from "../core/reminders/reminder-round.js";
import { WatchdogDuty } from "./watchdog-duty.js";
import { StageHistoryRecorder } from "../core/watchdog/stage-history-recorder.js";
import { Watchdog } from "../core/watchdog/watchdog.js";
import type { DeployWarner } from "../core/ports/deploy-warner.js";
import { undeclaredClientProblems } from "./settings/declared-clients.js";
import { StartupError } from "./settings/startup-error.js";
import { processReplicaId, randomIds, systemClock } from "./system-defaults.js";

export interface AppOptions {
  readonly config: WhistlestopConfig;
  readonly store: Store;
  readonly pipeline: Pipeline;
  /** CloudWatch, for verify; without it deploys succeed with their pipeline, unverified. */
  readonly alarms?: Alarms;
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
  /** Timers of what happens at a moment of the clock (reminders, window announcements and releases); default `timers`. */
  readonly scheduleTimers?: Timers;
  readonly ids?: IdGenerator;
  readonly replicaId?: string;
  readonly tracker?: TrackerOptions;
  /** When reports may go out while the process is saturated; default: after requests, at most 2 s late. */
  readonly pacer?: Pacer;
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
  /** Lock reminders, window announcements and releases; `idle()` waits for a round under way (tests). */
  readonly reminders: ReminderDuty;
  /** Hung stages and silent deploys; `watchdogDuty.runOnce()` checks now (tests move the clock). */
  readonly watchdog: Watchdog;
  readonly watchdogDuty: WatchdogDuty;
  readonly replicaId: string;
  /** Run one sweep now (tests, start-up). */
  sweep(): Promise<void>;
  /** Graceful shutdown: stop taking commands, finish in-flight work and reports. Leaves the store open. */
  stop(): Promise<void>;
}

/**
 * The composition root: builds the core, plugs in the adapters and surfaces, and hands the
 * replica's life (start-up sweep, sweeps, shutdown) to ReplicaLifecycle. It only wires.
 */
export async function composeApp(options: AppOptions): Promise<RunningApp> {
  const { config, store, pipeline, logger } = options;
  const undeclared = undeclaredClientProblems(config, options.apiTokens, "whistlestop.yml");
  if (undeclared.length > 0) throw new StartupError(undeclared);
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? realTimers;
  const replicaId = options.replicaId ?? processReplicaId();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  // Before anything listens: a live server holding this id stops start-up here.
  const identity = new ReplicaIdentity({ store, id: replicaId, now: () => clock.now(), leaseMs });
  await identity.claim();
  const events = new EventHub();
  const metrics = new Metrics({ queueDepth: async () => (await store.listDeploys({ states: ["queued"], limit: 10_000 })).length });
  const doraReports = doraReportsFor({ store, config, clock });
  registerDoraGauges(metrics.registry, doraReports, logger);
  const notifiers = new NotifierList(logger, [events, new MetricsNotifier(metrics), new DeployLogNotifier(logger)]);
  // Under a burst of requests, reports step aside so acknowledgements and starts go first.
  const pacer = options.pacer ?? new LoadPacer();
  const notifications = new NotificationQueue(store, notifiers, clock, logger, pacer);
  // Each deploy's change set is worked out after it is stored and started, then shown everywhere;
  // without a source control that compares commits (no GitHub) deploys have none.
  // One builder, so every change set and every `diff` share its cache of comparisons.
  const changeSetBuilder = new ChangeSetBuilder(options.sourceControl, clock);
  const changeSets = new ChangeSetRecorder({ store, config, builder: changeSetBuilder, refresh: (id) => notifications.refresh(id), logger });
  if (options.sourceControl.compare) notifiers.add(changeSets);
  // Each deploy's successful stage runs are the watchdog's history; surfaces add their warners below.
  notifiers.add(new StageHistoryRecorder(store));
  const warners: DeployWarner[] = [];
  const watchdog = new Watchdog({ store, config, clock, logger, warners, followed: () => tracker.tracked() });
  // The tracker calls the orchestrator, which is built next; the closure runs only after that.
  // A reconcile that got an answer is progress information: the watchdog hears of it.
  const reconcile = async (id: string) => {
    const outcome = await orchestrator.reconcile(id);
    watchdog.heard(id);
    return outcome;
  };
  // Where the tracker watches the load (busy), requests being answered also hold polls back: the
  // HTTP server is built below, so the count is read through `answering` once it exists.
  let answering = (): number => 0;
  const trackerOptions = options.tracker ?? DEFAULT_TRACKER_OPTIONS;
  const saturated = trackerOptions.busy;
  const tracker: ProgressTracker = new ProgressTracker(reconcile, timers, logger, saturated ? { ...trackerOptions, busy: () => saturated() || answering() > 0 } : trackerOptions);
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
    ...(options.alarms ? { alarms: options.alarms } : {}),
  });
  const inbox = new RequestInbox({ store, clock, logger, replicaId, leaseMs });
  const freezes = new FreezeReconciler(config, store, pipeline, clock, timers, logger);
  notifiers.add(freezes);
  const commandDeps: CommandDeps = {
    config,
    store,
    orchestrator,
    pipeline,
    sourceControl: options.sourceControl,
    identity: options.identity,
    clock,
    ids: options.ids ?? randomIds,
    logger,
    changeSetBuilder,
    onLocksChanged: () => void freezes.reconcile(),
  };
  const runner = new CommandService(commandDeps);
  rollBackFailedDeploys(commandDeps, notifications);

  const directory = new PeopleDirectory(config, store, (error) => logger.warn({ err: error }, "could not read a Slack user's link; treated as unlinked"));
  const surfaces: Surface[] = [];
  // The HTTP server starts after the surfaces are built: their streams hear of draining through this.
  const drainListeners = new Set<() => void>();
  const onDrain = (listener: () => void) => {
    drainListeners.add(listener);
    return () => void drainListeners.delete(listener);
  };
  for (const factory of options.surfaces ?? []) {
    const surface = await factory({ config, directory, runner, store, clock, logger, pipeline, inbox, events, identity: options.identity, onDrain });
    surfaces.push(surface);
    if (surface.notifier) notifiers.add(surface.notifier);
    if (surface.warner) warners.push(surface.warner);
  }

  const mounts: HttpMount[] = surfaces.flatMap((s) => s.mounts ?? []);
  if (options.pipelineEventsToken) {
    const onExecutionChanged = pokeDeployOfExecution(config, store, tracker);
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
    readyDetails: () => {
      const silent = watchdog.silentDeploys();
      return silent.length > 0 ? { silentDeploys: silent } : undefined;
    },
    metrics,
    logger,
    mounts,
    dora: { reports: doraReports, config },
    toView: (deploy) => toDeployView(deploy, deploy.executionId ? { executionUrl: pipeline.executionUrl(deploy.pipelineName, deploy.executionId) } : {}),
  });
  answering = () => http.answering();

  const sender = surfaces.find((s) => s.reminders)?.reminders;
  const reminders = new ReminderDuty({
    round: (now) => runReminderRound({ config, store, directory, queues: orchestrator, logger, claimant: replicaId, ...(sender ? { sender } : {}) }, now),
    timers: options.scheduleTimers ?? timers,
    now: () => clock.now(),
    logger,
  });

  http.onDrain(() => [...drainListeners].forEach((listener) => listener()));

  const watchdogDuty = new WatchdogDuty({ watchdog, timers, logger });
  const lifecycle = new ReplicaLifecycle(
    {
      replicaId,
      identity,
      orchestrator,
      inbox,
      tracker,
      freezes,
      retention: new RetentionDuty({ store, timers, logger, now: () => clock.now(), retentionMs: config.retentionMs ?? DEFAULT_RETENTION_MS }),
      reminders,
      watchdog: watchdogDuty,
      http,
      notifications,
      pacer,
      changeSets,
      leases: leaseHandBack({ store, replicaId, now: () => clock.now(), logger }),
      surfaces,
      warmUp: pipelineWarmUp(config, pipeline),
    },
    { timers, logger, sweepIntervalMs: options.sweepIntervalMs, shutdownReportsMs: options.shutdownReportsMs, shutdownMs: options.shutdownMs },
  );
  await lifecycle.start();

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
    reminders,
    watchdog,
    watchdogDuty,
    replicaId,
    sweep: () => lifecycle.sweep(),
    stop: () => lifecycle.stop(),
  };
}
