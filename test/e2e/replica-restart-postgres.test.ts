import { randomBytes } from "node:crypto";
import type pg from "pg";
import type { ApiCommandResult } from "../../src/core/commands/api-command-result.js";
import type { DeployView } from "../../src/core/commands/command-result.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { connectOrExplain, HARNESSES, TEST_DATABASE_URL } from "../store/store-harness.js";
import { callApi, EXAMPLE_CONFIG_PATH, serverProcessExit, startServerProcess, type ServerProcess } from "../kit/process-helpers.js";
import { waitFor } from "../kit/wait-for.js";
import { loadTestConfig } from "../kit/test-app.js";

const TOKEN = "replica-restart-token-0123456789";
const SHA = "0123456789abcdef0123456789abcdef01234567";
const onPostgres = HARNESSES.some((h) => h.name === "postgres") ? describe : describe.skip;

/**
 * On PostgreSQL a server restarted after a crash, under its stable replica id, follows its running
 * deploy again at once: the lease here is ten minutes, so waiting it out would fail the test. A
 * second live server with the same id is refused.
 */
onPostgres("a replica restarted on PostgreSQL under its own id", () => {
  let admin: pg.Client;
  let schema: string;
  let emulator: RunningEmulator;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    admin = await connectOrExplain(TEST_DATABASE_URL);
  });
  beforeEach(async () => {
    schema = `ws_replica_${process.pid}_${randomBytes(4).toString("hex")}`;
    emulator = await startEmulator({ pipelines: pipelinesFromConfig(loadTestConfig()), stepMs: 150 });
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop("SIGKILL")));
    await emulator.close();
    await admin.query(`drop schema if exists "${schema}" cascade`);
  });
  afterAll(async () => {
    await admin.end();
  });

  const env = (): Record<string, string> => {
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set("schema", schema);
    return {
      WHISTLESTOP_CONFIG: EXAMPLE_CONFIG_PATH,
      DATABASE_URL: url.toString(),
      WHISTLESTOP_REPLICA_ID: "web-1",
      WHISTLESTOP_LEASE_MS: "600000",
      PORT: "0",
      HOST: "127.0.0.1",
      WHISTLESTOP_API_TOKENS: `sandbox:${TOKEN}`,
      AWS_ENDPOINT_URL_CODEPIPELINE: emulator.url,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      LOG_LEVEL: "info",
    };
  };
  const start = async () => {
    const server = await startServerProcess(env());
    servers.push(server);
    return server;
  };

  test("kill -9 mid-deploy, restart with the same WHISTLESTOP_REPLICA_ID: the deploy is followed to the end at once", async () => {
    const first = await start();
    const started = await callApi<ApiCommandResult>(`${first.url}/api/v1/commands`, TOKEN, { body: { text: `deploy donations staging ${SHA}` } });
    const id = started.body.deploy!.id;
    await waitFor("the execution to start", () => emulator.emulator.executions("donations-staging")[0]);
    expect((await first.stop("SIGKILL")).signal).toBe("SIGKILL");

    const second = await start();
    const done = await waitFor("the deploy to succeed", async () => {
      const view = (await callApi<DeployView>(`${second.url}/api/v1/deploys/${id}`, TOKEN)).body;
      return view.state === "succeeded" ? view : undefined;
    });
    expect(done.artifact).toMatch(/^ami-/);
    expect(emulator.emulator.executions("donations-staging")).toHaveLength(1);

    const twin = await serverProcessExit("start", env());
    expect(twin.code).toBe(1);
    expect(twin.stderr).toContain('whistlestop start: cannot start, nothing was started: replica id "web-1" is held by a live server');
    expect(twin.stderr).toContain("Give each server its own WHISTLESTOP_REPLICA_ID");
  }, 90_000);
});
