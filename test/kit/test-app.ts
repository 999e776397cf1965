import { readFileSync } from "node:fs";
import type { Writable } from "node:stream";
import { CodePipelineAdapter } from "../../src/adapters/codepipeline/codepipeline-adapter.js";
import { offlineIdentity } from "../../src/adapters/source-control/offline-source-control.js";
import { openStore } from "../../src/adapters/store/open-store.js";
import { noPacing } from "../../src/core/ports/pacer.js";
import { composeApp, type RunningApp } from "../../src/app/compose.js";
import type { SurfaceFactory } from "../../src/ports/surface.js";
import type { Timers } from "../../src/ports/timers.js";
import { parseApiTokens } from "../../src/app/http-server.js";
import { createLogger, type Logger } from "../../src/app/logger.js";
import { parseConfig } from "../../src/config/load-config.js";
import type { ApiCommandResult } from "../../src/core/commands/api-command-result.js";
import type { DeployView } from "../../src/core/commands/command-result.js";
import type { WhistlestopConfig } from "../../src/core/model/config.js";
import type { Clock } from "../../src/core/ports/clock.js";
import type { Deploy } from "../../src/core/model/deploy.js";
import type { Pipeline } from "../../src/core/ports/pipeline.js";
import type { Identity, SourceControl } from "../../src/core/ports/source-control.js";
import type { Store } from "../../src/core/ports/store.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { alarmsFromConfig } from "../../src/emulator/cloudwatch-emulator.js";
import { createAwsAlarms } from "../../src/adapters/cloudwatch/aws-alarms.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { ManualScheduler } from "../../src/emulator/scheduler.js";
import { systemClock } from "../../src/app/system-defaults.js";
import { testClient } from "../codepipeline/sdk-client.js";
import { AnyRefSourceControl } from "../fakes/fakes.js";

export const TEST_TOKEN = "test-token-0123456789abcdef";
export const ADMIN_TOKEN = "admin-token-0123456789abcdef";

export function exampleConfigText(): string {
  return readFileSync(new URL("../../examples/whistlestop.yml", import.meta.url), "utf8");
}

export function loadTestConfig(text = exampleConfigText()): WhistlestopConfig {
  const parsed = parseConfig(text, "whistlestop.yml");
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return parsed.config;
}

/**
 * The API clients the tests' tokens belong to: `ci` and `sandbox-admin` may do everything
 * everywhere (the admin is listed as api:sandbox-admin in admins). A config that declares its own
 * clients keeps them.
 */
export function withTestClients(config: WhistlestopConfig): WhistlestopConfig {
  const everywhere = { may: ["deploy", "rollback", "lock", "unlock", "cancel", "check", "approve", "reject"] as const, services: ["*"], environments: Object.keys(config.environments) };
  return {
    ...config,
    apiClients: { ci: everywhere, "sandbox-admin": everywhere, ...config.apiClients },
    admins: config.admins.includes("api:sandbox-admin") ? config.admins : [...config.admins, "api:sandbox-admin"],
  };
}

export interface TestAppOptions {
  readonly config?: WhistlestopConfig;
  readonly store?: Store;
  readonly surfaces?: readonly SurfaceFactory[];
  readonly sourceControl?: SourceControl;
  readonly identity?: Identity;
  readonly pipelineEventsToken?: string;
  /** Reuse an emulator (restart tests); default: a new one with the manual clock. */
  readonly emulator?: RunningEmulator;
  /** Tracker poll interval; default 5 ms so tests move quickly without sleeping. */
  readonly pollMs?: number;
  /** How often the app sweeps (leases, queues, reports a failure interrupted); default 60 s. */
  readonly sweepIntervalMs?: number;
  /** Graceful stop's deadline for in-flight work; default the app's (25 s). */
  readonly shutdownMs?: number;
  /** Where the server logs; default silent (or LOG_LEVEL). */
  readonly logger?: Logger;
  /** CodePipeline as the server reaches it; default one SDK client on the emulator (us-east-1). */
  readonly pipeline?: (emulatorUrl: string) => Pipeline;
  /**
   * Verify deploys where the config says so (verify), reading the emulator's CloudWatch alarms
   * through the real SDK client. Off by default: the example config verifies prod for 10 minutes,
   * which suites that are not about verification would otherwise wait out.
   */
  readonly verifyAlarms?: boolean;
  /** The app's replica id; default one of its own per process and call. */
  readonly replicaId?: string;
  /** The app's clock; default the system clock. */
  readonly clock?: Clock;
  /** Timers of the reminder duty (a FakeTime steps it through window moments and lock periods); default real timers. */
  readonly scheduleTimers?: Timers;
  /** WHISTLESTOP_API_TOKENS; default `ci` and `sandbox-admin` with TEST_TOKEN and ADMIN_TOKEN. */
  readonly apiTokens?: string;
  /** Where the app logs (at debug); default nowhere. */
  readonly logDestination?: Writable;
}

export interface TestApp {
  readonly app: RunningApp;
  readonly url: string;
  readonly store: Store;
  readonly emulator: RunningEmulator;
  readonly config: WhistlestopConfig;
  /** POST /api/v1/commands with the test token (name "ci") or another. */
  command(text: string, token?: string): Promise<ApiCommandResult & { status: number }>;
  /** Move the emulator's executions until `id` is final (or `until` holds), letting the tracker follow. */
  runDeploy(id: string, until?: (deploy: Deploy) => boolean): Promise<Deploy>;
  close(): Promise<void>;
}

/**
 * The real server (composeApp on a random port) with the CodePipeline emulator behind the real
 * SDK client, SQLite in memory, and the example config. The emulator's clock is manual: tests
 * step pipelines forward and wait for the tracker to observe the result — no sleeps.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = withTestClients(options.config ?? loadTestConfig());
  // The emulator's manual clock starts where the app's clock stands, as AWS's and ours agree in
  // production, so stage times (which CodePipeline reports) sit beside the deploy's own times.
  const scheduler = new ManualScheduler((options.clock ?? systemClock).now());
  const emulator = options.emulator ?? (await startEmulator({ pipelines: pipelinesFromConfig(config), alarms: alarmsFromConfig(config), scheduler, stepMs: 1000 }));
  const store = options.store ?? (await openStore({ sqlitePath: ":memory:" }));
  const pollMs = options.pollMs ?? 5;
  const app = await composeApp({
    config,
    store,
    pipeline: options.pipeline?.(emulator.url) ?? new CodePipelineAdapter(testClient(emulator.url), { region: "us-east-1" }),
    ...(options.verifyAlarms ? { alarms: createAwsAlarms(config, { endpoint: emulator.url, defaultRegion: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } }) } : {}),
    ...(options.replicaId ? { replicaId: options.replicaId } : {}),
    sourceControl: options.sourceControl ?? new AnyRefSourceControl(),
    identity: options.identity ?? offlineIdentity,
    apiTokens: parseApiTokens(options.apiTokens ?? `ci:${TEST_TOKEN},sandbox-admin:${ADMIN_TOKEN}`),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.scheduleTimers ? { scheduleTimers: options.scheduleTimers } : {}),
    ...(options.pipelineEventsToken ? { pipelineEventsToken: options.pipelineEventsToken } : {}),
    port: 0,
    host: "127.0.0.1",
    logger: options.logger ?? (options.logDestination ? createLogger({ level: "debug", destination: options.logDestination }) : createLogger({ level: process.env.LOG_LEVEL ?? "silent" })),
    surfaces: options.surfaces ?? [],
    tracker: { minIntervalMs: pollMs, maxIntervalMs: pollMs * 4, concurrency: 8 },
    // Tests read reports right after stepping a deploy; a loaded test machine must not hold them back.
    pacer: noPacing,
    sweepIntervalMs: options.sweepIntervalMs ?? 60_000,
    ...(options.shutdownMs !== undefined ? { shutdownMs: options.shutdownMs } : {}),
  });

  const command = async (text: string, token = TEST_TOKEN) => {
    const response = await fetch(`${app.url}/api/v1/commands`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ text }),
    });
    return { ...((await response.json()) as ApiCommandResult), status: response.status };
  };

  const runDeploy = async (id: string, until: (deploy: Deploy) => boolean = (d) => ["succeeded", "failed", "cancelled"].includes(d.state)) => {
    for (let step = 0; step < 200; step++) {
      const deploy = await store.getDeploy(id);
      if (deploy && until(deploy)) return deploy;
      if (emulator.emulator.tick() === false) await nextEvent(app, id, 200);
      else await nextEvent(app, id, 50);
    }
    throw new Error(`deploy ${id} did not reach the expected state`);
  };

  return {
    app,
    url: app.url,
    store,
    emulator,
    config,
    command,
    runDeploy,
    async close() {
      await app.stop();
      if (!options.store) await store.close();
      if (!options.emulator) await emulator.close();
    },
  };
}

/** Resolves on the deploy's next event, or after `ms` (the tracker may have nothing new to say). */
function nextEvent(app: RunningApp, deployId: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const unsubscribe = app.events.subscribe(deployId, done);
    function done() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

export type { DeployView };
