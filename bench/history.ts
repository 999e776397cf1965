import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { StoreDialect } from "../src/adapters/store/store-context.js";
import { boardPage } from "../src/adapters/dashboard/pages/board-page.js";
import { doraPage } from "../src/adapters/dashboard/pages/dora-page.js";
import type { DashboardDeps, DashboardPage, Viewer } from "../src/adapters/dashboard/page.js";
import { ChangeSetBuilder } from "../src/core/changes/change-set-builder.js";
import { CommandService } from "../src/core/commands/command-service.js";
import type { EnvironmentSettings, ServiceConfig, WhistlestopConfig } from "../src/core/model/config.js";
import { DeployOrchestrator } from "../src/core/orchestrator/deploy-orchestrator.js";
import { NotificationQueue } from "../src/core/orchestrator/notification-queue.js";
import { PolicyQueueGate } from "../src/core/orchestrator/policy-queue-gate.js";
import { silentLogger } from "../src/core/ports/logger.js";
import { doraReportsFor } from "../src/core/metrics/dora-report.js";
import { ManualTracker, testConfig } from "../test/core/harness.js";
import { FakePipeline } from "../test/fakes/fake-pipeline.js";
import { FakeIdentity, FakeSourceControl, RecordingNotifier, SequenceIds } from "../test/fakes/fakes.js";
import { anApiActor } from "../test/kit/builders.js";
import { openBenchStore, seedHistory } from "./history-seed.js";
import { ms, percentile, type Row } from "./lib/stats.js";

const HISTORY = 100_000;
const SERVICES = 70;
const ROUNDS = 60;
const WARM_UP = 5;
const TARGET_MS = 100;

/** 70 services in staging and prod (prod promotes from staging), as the organisation Whistlestop serves. */
function benchConfig(): WhistlestopConfig {
  const base = testConfig();
  const services: Record<string, ServiceConfig> = {};
  for (let i = 0; i < SERVICES; i++) services[`svc-${String(i).padStart(2, "0")}`] = { repo: `hfa/svc-${i}`, onMerge: ["staging"], stages: ["Source", "Bake", "Deploy", "Verify"], environments: {} };
  const env = (settings: Partial<EnvironmentSettings> = {}): EnvironmentSettings => ({ confirm: false, deployers: [], enforceInPipeline: false, ...settings });
  return { ...base, services, environments: { staging: env(), prod: env({ promoteFrom: "staging" }) } };
}

async function p95(run: () => Promise<unknown>, after?: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < WARM_UP + ROUNDS; i++) {
    const start = performance.now();
    await run();
    const took = performance.now() - start;
    if (i >= WARM_UP) times.push(took);
    await after?.();
  }
  return percentile(times.sort((a, b) => a - b), 95);
}

interface Figures {
  /** Reading and judging the 90 days of DORA facts into a new snapshot (once a minute per replica, behind the requests). */
  readonly snapshot: number;
  readonly board: number;
  readonly dora30: number;
  readonly dora90: number;
  readonly decide: number;
}

/** The board, /dora (30 and 90 days, every target) rendered as the server renders them, and deploys decided, stored and started. */
async function measure(deps: DashboardDeps, service: CommandService): Promise<Figures> {
  const viewer = { csrf: "bench", actor: { surface: "github", name: "bench", login: "bench" } } as unknown as Viewer;
  const render = (page: DashboardPage, path: string) => () => page.render({ deps, viewer, url: new URL(path, "http://bench.invalid"), params: {} }).then((r) => r.body.text.length);
  const reports = doraReportsFor({ store: deps.store, config: deps.config, clock: deps.clock });
  const snapshot = await p95(() => reports.refresh());
  const board = await p95(render(boardPage, "/"));
  const dora30 = await p95(render(doraPage, "/dora"));
  const dora90 = await p95(render(doraPage, "/dora?days=90"));
  // Each round decides, stores and starts a deploy to staging, then the same sha to prod (whose promotion check
  // reads the history); each is ended outside the timing, so the next one starts at once too.
  let round = 0;
  let pending: { env: string; sha: string; service: string } | undefined;
  let last: string | undefined;
  const decide = await p95(
    async () => {
      const step = round++;
      const next = pending ?? { env: "staging", sha: (step + 1).toString(16).padStart(8, "0").padEnd(40, "a"), service: `svc-${String((step >> 1) % SERVICES).padStart(2, "0")}` };
      const result = await service.run({ verb: "deploy", service: next.service, env: next.env, ref: next.sha, sha: next.sha, force: false, yes: true }, { actor: anApiActor("ci") });
      if (result.outcome !== "started") throw new Error(`bench: the deploy was not started (${result.outcome}: ${"message" in result ? result.message : ""})`);
      last = result.deploy.id;
      pending = next.env === "staging" ? { ...next, env: "prod" } : undefined;
    },
    async () => {
      if (last) await deps.store.updateDeploy(last, { state: "succeeded", finishedAt: new Date().toISOString() }, "running");
    },
  );
  return { snapshot, board, dora30, dora90, decide };
}

function wire(store: DashboardDeps["store"], config: WhistlestopConfig): { deps: DashboardDeps; service: CommandService } {
  const clock = { now: () => new Date() };
  const pipeline = new FakePipeline();
  const notifications = new NotificationQueue(store, new RecordingNotifier(), clock, silentLogger);
  const orchestrator = new DeployOrchestrator({ store, pipeline, notifications, gate: new PolicyQueueGate(config, store, clock), tracker: new ManualTracker(), clock, config, logger: silentLogger, replicaId: "bench" });
  const sourceControl = new FakeSourceControl();
  const service = new CommandService({ config, store, orchestrator, pipeline, sourceControl, identity: new FakeIdentity(), clock, ids: new SequenceIds(), logger: silentLogger, changeSetBuilder: new ChangeSetBuilder(sourceControl, clock) });
  const deps = { config, store, runner: service, clock, pipeline: { executionUrl: () => "https://console.aws.amazon.com/x" }, githubUrl: "https://github.com" } as unknown as DashboardDeps;
  return { deps, service };
}

export interface HistoryResult {
  readonly dialect: StoreDialect;
  readonly empty: Figures;
  readonly full: Figures;
  readonly seedSeconds: number;
}

export async function runHistoryBench(dialects: readonly StoreDialect[] = ["sqlite", "postgres"]): Promise<HistoryResult[]> {
  const config = benchConfig();
  const targets = Object.keys(config.services).flatMap((service) => ["staging", "prod"].map((env) => ({ service, env })));
  const results: HistoryResult[] = [];
  for (const dialect of dialects) {
    const dir = mkdtempSync(join(tmpdir(), "whistlestop-history-"));
    const bench = await openBenchStore(dialect, join(dir, "store.db"));
    try {
      const { deps, service } = wire(bench.store, config);
      const empty = await measure(deps, service);
      process.stderr.write(`bench: history [${dialect}] seeding ${HISTORY.toLocaleString("en-US")} deploys…\n`);
      const seedStart = performance.now();
      await seedHistory(bench.ctx, targets, HISTORY, new Date());
      const seedSeconds = (performance.now() - seedStart) / 1000;
      const full = await measure(deps, service);
      results.push({ dialect, empty, full, seedSeconds });
    } finally {
      await bench.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

export function historyRows(results: readonly HistoryResult[]): Row[] {
  return results.flatMap(({ dialect, empty, full, seedSeconds }) => {
    const row = (metric: string, key: keyof Figures, target?: number): Row => ({
      metric: `${metric} p95, ${HISTORY / 1000}k deploys [${dialect}]`,
      value: ms(full[key]),
      floor: ms(empty[key]),
      ratio: `${(full[key] / empty[key]).toFixed(2)}×`,
      ...(target !== undefined ? { target: `< ${target} ms`, met: full[key] < target } : {}),
    });
    return [
      row("board (/) render", "board", TARGET_MS),
      row("/dora render (30 days, 140 targets)", "dora30", TARGET_MS),
      row("/dora render (90 days, 140 targets)", "dora90", TARGET_MS),
      row("DORA snapshot read + judge (background, once a minute)", "snapshot"),
      { ...row("decide + store + start a deploy", "decide"), target: "≤ 1.5× empty store", met: full.decide <= 1.5 * empty.decide },
      { metric: `seed ${HISTORY / 1000}k deploys + DORA backfill [${dialect}]`, value: `${seedSeconds.toFixed(1)} s` },
    ];
  });
}
