import type { EnvironmentSettings, WhistlestopConfig, WindowConfig } from "../../src/core/model/config.js";
import { ChangeSetBuilder } from "../../src/core/changes/change-set-builder.js";
import { rollBackFailedDeploys } from "../../src/core/commands/auto-rollback.js";
import { CommandService } from "../../src/core/commands/command-service.js";
import type { Command } from "../../src/core/commands/command.js";
import type { CommandResult, DeployView } from "../../src/core/commands/command-result.js";
import type { Deploy } from "../../src/core/model/deploy.js";
import type { ReasonCode } from "../../src/core/policies/decision.js";
import type { RequestContext } from "../../src/core/commands/request-context.js";
import { DeployOrchestrator } from "../../src/core/orchestrator/deploy-orchestrator.js";
import { NotificationQueue } from "../../src/core/orchestrator/notification-queue.js";
import { PolicyQueueGate } from "../../src/core/orchestrator/policy-queue-gate.js";
import { silentLogger } from "../../src/core/ports/logger.js";
import type { Tracker } from "../../src/core/ports/tracker.js";
import { buildWindowSchedule } from "../../src/config/window-schedule.js";
import { FakePipeline } from "../fakes/fake-pipeline.js";
import { FakeIdentity, FakeSourceControl, RecordingNotifier, SequenceIds } from "../fakes/fakes.js";
import { MemoryStore } from "../fakes/memory-store.js";
import { FakeTime } from "../kit/fake-time.js";
import { anApiActor } from "../kit/builders.js";

const env = (settings: Partial<EnvironmentSettings> = {}): EnvironmentSettings => ({ confirm: false, deployers: [], enforceInPipeline: false, ...settings });

export function testConfig(overrides: Partial<WhistlestopConfig> = {}): WhistlestopConfig {
  return {
    timezone: "America/New_York",
    defaults: { pipeline: "{service}-{env}", sourceAction: "Source", deployStage: "Deploy", concurrency: "queue", rollback: "rollback-stage" },
    environments: { staging: env(), prod: env({ promoteFrom: "staging", confirm: true }) },
    services: {
      donations: { repo: "hfa/donations", slackChannel: "C0DONATIONS", onMerge: ["staging"], stages: ["Source", "Bake", "Deploy"], environments: {} },
      events: { repo: "hfa/events", onMerge: [], environments: { staging: { concurrency: "reject" } } },
    },
    windows: [],
    people: { U1: "alice", U2: "bob" },
    admins: ["sre-sam"],
    apiClients: { ci: { may: ["deploy", "rollback", "lock", "unlock", "cancel", "check"], services: ["*"], environments: ["staging", "prod"] } },
    ...overrides,
  };
}

export function denyWindow(name: string, start: string, end: string, extra: Partial<WindowConfig> = {}): WindowConfig {
  return {
    name,
    kind: "deny",
    environments: [],
    services: [],
    allowRollback: true,
    timezone: "America/New_York",
    schedule: buildWindowSchedule({ start, end, timezone: "America/New_York" }),
    ...extra,
  };
}

/** A recording tracker: tests drive reconciles themselves. */
export class ManualTracker implements Tracker {
  readonly tracked = new Set<string>();
  track(id: string): void {
    this.tracked.add(id);
  }
  untrack(id: string): void {
    this.tracked.delete(id);
  }
}

export { anApiActor as apiActor, aGitHubActor as githubActor } from "../kit/builders.js";

/** A result seen from a test: every outcome's fields, optional, so a case can assert whichever it expects. */
export interface LooseResult {
  readonly outcome: CommandResult["outcome"];
  readonly reasonCode?: ReasonCode;
  readonly message?: string;
  readonly deploy?: DeployView;
  readonly record?: Deploy;
}

/** The core wired to in-memory fakes. */
export function coreHarness(config: WhistlestopConfig = testConfig()) {
  const store = new MemoryStore();
  const pipeline = new FakePipeline();
  const notifier = new RecordingNotifier();
  const time = new FakeTime();
  const clock = time.clock;
  const tracker = new ManualTracker();
  const identity = new FakeIdentity();
  const sourceControl = new FakeSourceControl();
  const notifications = new NotificationQueue(store, notifier, clock, silentLogger);
  const orchestrator = new DeployOrchestrator({
    store,
    pipeline,
    notifications,
    gate: new PolicyQueueGate(config, store, clock),
    tracker,
    clock,
    config,
    logger: silentLogger,
    replicaId: "replica-a",
  });
  const changeSetBuilder = new ChangeSetBuilder(sourceControl, clock);
  const commandDeps = { config, store, orchestrator, pipeline, sourceControl, identity, clock, ids: new SequenceIds(), logger: silentLogger, changeSetBuilder };
  const service = new CommandService(commandDeps);
  rollBackFailedDeploys(commandDeps, notifications);
  const run = (command: Command, context: Partial<RequestContext> = {}): Promise<LooseResult> => service.run(command, { actor: anApiActor(), ...context });
  const deploy = (serviceName: string, envName: string, extra: Partial<Extract<Command, { verb: "deploy" }>> = {}, context: Partial<RequestContext> = {}) =>
    run({ verb: "deploy", service: serviceName, env: envName, force: false, yes: true, ...extra }, context);
  /** Let every reconcile the orchestrator asked for run once. */
  const pollAll = async () => {
    for (const id of [...tracker.tracked]) await orchestrator.reconcile(id);
    await notifications.idle();
  };
  return { config, store, pipeline, notifier, clock, time, tracker, identity, sourceControl, notifications, orchestrator, service, run, deploy, pollAll };
}
