import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/adapters/store/open-store.js";
import type { ApiCommandResult } from "../../src/core/commands/api-command-result.js";
import type { DeployView } from "../../src/core/commands/command-result.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import type { Deploy } from "../../src/core/model/deploy.js";
import { loadTestConfig, startTestApp, type TestApp } from "../kit/test-app.js";
import { callApi, exampleConfigWithCi, startHoldingProxy, startServerProcess, type ServerProcess } from "../kit/process-helpers.js";
import { waitFor } from "../kit/wait-for.js";

const TOKEN = "restart-test-token-0123456789";
const EVENTS_TOKEN = "restart-events-token-0123456789";
// Without the GitHub app only full shas can be deployed (nothing can resolve a branch name).
const SHA = "0123456789abcdef0123456789abcdef01234567";
const NEXT_SHA = "89abcdef0123456789abcdef0123456789abcdef";

/**
 * Restart safety (every running deploy is followed to its end, queues resume) with real separate processes: the server runs as `whistlestop start`
 * on a SQLite file, the CodePipeline emulator (real timers, 150 ms per action) in this process.
 * Where only the file's state matters, the next server runs in this process (it starts faster).
 */
describe("a server process restarted on the same SQLite file", () => {
  let emulator: RunningEmulator;
  let dir: string;
  let db: string;
  const servers: ServerProcess[] = [];
  const inProcess: TestApp[] = [];

  beforeEach(async () => {
    emulator = await startEmulator({ pipelines: pipelinesFromConfig(loadTestConfig()), stepMs: 150 });
    dir = mkdtempSync(join(tmpdir(), "whistlestop-restart-"));
    db = join(dir, "whistlestop.db");
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop("SIGKILL")));
    for (const app of inProcess.splice(0)) {
      await app.close();
      await app.store.close();
    }
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (codepipelineUrl = emulator.url): Promise<ServerProcess> => {
    const server = await startServerProcess({
      WHISTLESTOP_CONFIG: exampleConfigWithCi(),
      WHISTLESTOP_DB: db,
      PORT: "0",
      HOST: "127.0.0.1",
      WHISTLESTOP_API_TOKENS: `ci:${TOKEN}`,
      PIPELINE_EVENTS_TOKEN: EVENTS_TOKEN,
      AWS_ENDPOINT_URL_CODEPIPELINE: codepipelineUrl,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      LOG_LEVEL: "info",
    });
    servers.push(server);
    // EventBridge follows the server: the new process hears of every later stage change.
    emulator.emulator.setEventTarget({ url: `${server.url}/api/pipeline-events`, token: EVENTS_TOKEN });
    return server;
  };
  /** A server in this process on the same SQLite file and emulator. */
  const startOnFile = async (): Promise<TestApp> => {
    const app = await startTestApp({ emulator, store: await openStore({ sqlitePath: db }) });
    inProcess.push(app);
    return app;
  };
  const untilStored = (app: TestApp, id: string, state: Deploy["state"]) =>
    waitFor(`deploy ${id} to be ${state}`, async () => {
      const deploy = await app.store.getDeploy(id);
      return deploy?.state === state ? deploy : undefined;
    });
  const command = (server: ServerProcess, text: string) => callApi<ApiCommandResult>(`${server.url}/api/v1/commands`, TOKEN, { body: { text } });
  const deployIn = (server: ServerProcess, id: string) => callApi<DeployView>(`${server.url}/api/v1/deploys/${id}`, TOKEN).then((r) => r.body);
  const untilState = (server: ServerProcess, id: string, state: DeployView["state"]) =>
    waitFor(`deploy ${id} to be ${state}`, async () => {
      const deploy = await deployIn(server, id);
      return deploy.state === state ? deploy : undefined;
    });
  const executionsFor = (pipeline: string, deployId: string) =>
    emulator.emulator.executions(pipeline).filter((e) => (e as { clientRequestToken?: string }).clientRequestToken === deployId);

  test("kill -9 mid-stage: the new process follows the running deploy to success, starts the queued one, and no execution is started twice", async () => {
    const first = await start();
    const running = await command(first, `deploy donations staging ${SHA}`);
    const queued = await command(first, `deploy donations staging ${NEXT_SHA}`);
    expect(running.body).toMatchObject({ outcome: "started" });
    expect(queued.body).toMatchObject({ outcome: "queued" });
    const runningId = running.body.deploy!.id;
    const queuedId = queued.body.deploy!.id;

    // Mid-stage: the execution is baking when the process dies.
    await waitFor("the execution to reach Bake", () => executionsFor("donations-staging", runningId)[0]?.stages.some((s) => s.name === "Bake") || undefined);
    expect((await first.stop("SIGKILL")).signal).toBe("SIGKILL");

    const second = await start();
    const succeeded = await untilState(second, runningId, "succeeded");
    expect(succeeded.artifact).toMatch(/^ami-/);
    const next = await untilState(second, queuedId, "succeeded");
    expect(next.sha).toBe(NEXT_SHA);

    expect(executionsFor("donations-staging", runningId)).toHaveLength(1);
    expect(executionsFor("donations-staging", queuedId)).toHaveLength(1);
    expect(emulator.emulator.executions("donations-staging")).toHaveLength(2);
  });

  test("a deploy left running without an execution (died between claiming the slot and StartPipelineExecution) is started once, through its clientRequestToken", async () => {
    // The state a crash leaves: slots claimed, no execution id stored. For donations the start call
    // reached CodePipeline but its answer was lost; for events it never left the process.
    const store = await openStore({ sqlitePath: db });
    const orphan = (id: string, service: string) => ({
      id,
      service,
      env: "staging",
      sha: SHA,
      ref: "main",
      actor: "ci",
      actorLogin: "ci",
      surface: "api" as const,
      automatic: false,
      forced: false,
      pipelineName: `${service}-staging`,
      requestedAt: new Date().toISOString(),
    });
    for (const deploy of [orphan("d-lost-answer", "donations"), orphan("d-never-sent", "events")]) {
      await store.insertDeploy(deploy);
      expect(await store.claimSlot(deploy.id, new Date())).toBe(true);
    }
    await store.close();
    const lost = emulator.emulator.call("StartPipelineExecution", {
      name: "donations-staging",
      clientRequestToken: "d-lost-answer",
      sourceRevisions: [{ actionName: "Source", revisionType: "COMMIT_ID", revisionValue: SHA }],
    }) as { pipelineExecutionId: string };

    // Start-up behaviour is the same in any process: this server runs in the test process.
    const server = await startOnFile();
    const adopted = await untilStored(server, "d-lost-answer", "succeeded");
    const started = await untilStored(server, "d-never-sent", "succeeded");

    expect(adopted.executionId).toBe(lost.pipelineExecutionId);
    expect(emulator.emulator.executions("donations-staging")).toHaveLength(1);
    expect(executionsFor("events-staging", "d-never-sent")).toHaveLength(1);
    expect(started.executionId).toBe(executionsFor("events-staging", "d-never-sent")[0]!.id);
  });

  test("SIGTERM with a command in flight: the request completes, the process exits 0 and leaves the SQLite file usable", async () => {
    // The proxy holds StartPipelineExecution, so the deploy command is mid-request when the signal lands.
    const proxy = await startHoldingProxy(emulator.url, "StartPipelineExecution");
    try {
      const server = await start(proxy.url);
      const response = command(server, `deploy donations staging ${SHA}`);
      await waitFor("the start call to reach CodePipeline", () => proxy.held() > 0 || undefined);

      server.child.kill("SIGTERM");
      await waitFor("the server to begin shutting down", () => server.lines.some((l) => l.includes("shutting down")) || undefined);
      proxy.release();

      const answered = await response;
      expect(answered.status).toBe(200);
      expect(answered.body).toMatchObject({ outcome: "started", deploy: { state: "running" } });
      expect(await server.exited).toEqual({ code: 0, signal: null });

      // The store was closed cleanly and the lease handed back, so any replica may follow the deploy now.
      const store = await openStore({ sqlitePath: db });
      const left = await store.getDeploy(answered.body.deploy!.id);
      await store.close();
      expect(left).toMatchObject({ state: "running", executionId: expect.any(String) });
      expect(Date.parse(left!.leaseExpiresAt!)).toBeLessThanOrEqual(Date.now());

      // Another server (another replica id) opens the same file and finishes the deploy at once.
      const next = await startOnFile();
      const done = await untilStored(next, answered.body.deploy!.id, "succeeded");
      expect(done.executionId).toBe(left!.executionId);
      expect(emulator.emulator.executions("donations-staging")).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
