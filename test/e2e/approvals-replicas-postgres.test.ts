import { randomBytes } from "node:crypto";
import type pg from "pg";
import { openStore } from "../../src/adapters/store/open-store.js";
import type { Store } from "../../src/core/ports/store.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { ADMIN_TOKEN, loadTestConfig, startTestApp, TEST_TOKEN, type TestApp } from "../kit/test-app.js";
import { connectOrExplain, TEST_DATABASE_URL } from "../store/store-harness.js";

const ALICE_TOKEN = "alice-approver-token-0123456789";
const BOB_TOKEN = "bob-approver-token-0123456789";
const SHA = "0123456789abcdef0123456789abcdef01234567";
const ROUNDS = 5;

/**
 * Two replicas (two real servers, each with its own PostgreSQL pool) on one schema and one
 * CodePipeline emulator: approvers clicking at the same moment on different replicas start a
 * deploy exactly once, round after round.
 */
describe("approvals across two replicas sharing PostgreSQL", () => {
  let admin: pg.Client;
  let schema: string;
  let emulator: RunningEmulator;
  const stores: Store[] = [];
  const apps: TestApp[] = [];

  beforeAll(async () => {
    admin = await connectOrExplain(TEST_DATABASE_URL);
    schema = `ws_approvals_${process.pid}_${randomBytes(4).toString("hex")}`;
    const base = loadTestConfig();
    const approvals = { required: 1, from: ["api:alice", "api:bob"], expiresMs: 3_600_000 };
    const scope = { may: ["approve" as const], services: ["*"], environments: ["staging"] };
    const config = {
      ...base,
      environments: { ...base.environments, staging: { ...base.environments.staging!, approvals } },
      apiClients: { ...base.apiClients, alice: scope, bob: scope },
    };
    emulator = await startEmulator({ pipelines: pipelinesFromConfig(config), scheduler: "manual", stepMs: 1000 });
    const tokens = `ci:${TEST_TOKEN},sandbox-admin:${ADMIN_TOKEN},alice:${ALICE_TOKEN},bob:${BOB_TOKEN}`;
    for (let i = 0; i < 2; i++) {
      const store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 4 });
      stores.push(store);
      apps.push(await startTestApp({ config, store, emulator, apiTokens: tokens }));
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const store of stores) await store.close();
    await emulator.close();
    await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  });

  test(`${ROUNDS} rounds of two approvals at once on different replicas: one start each, one execution each`, async () => {
    const [a, b] = apps as [TestApp, TestApp];
    for (let round = 0; round < ROUNDS; round++) {
      const asked = await a.command(`deploy donations staging ${SHA}`);
      expect(asked).toMatchObject({ outcome: "waiting", deploy: { state: "awaiting_approval" } });
      const id = asked.deploy!.id;
      const answers = await Promise.all([a.command(`approve ${id}`, ALICE_TOKEN), b.command(`approve ${id}`, BOB_TOKEN)]);
      expect(answers.map((r) => r.outcome).sort()).toEqual(["refused", "started"]);
      expect(answers.find((r) => r.outcome === "refused")).toMatchObject({ reasonCode: "not_found" });
      const winner = answers[0]!.outcome === "started" ? a : b;
      expect((await winner.runDeploy(id)).state).toBe("succeeded");
      const executions = emulator.emulator.executions("donations-staging");
      expect(executions).toHaveLength(round + 1);
      expect((await a.store.getDeploy(id))?.approval?.approvedBy).toHaveLength(1);
    }
  });

  test("a request made on a replica that then stops is still there: approved on the other, it runs", async () => {
    const [a, b] = apps as [TestApp, TestApp];
    const asked = await a.command(`deploy donations staging ${SHA}`);
    const id = asked.deploy!.id;
    await a.close();
    apps.splice(0, 1);
    const before = emulator.emulator.executions("donations-staging").length;
    expect(await b.command(`approve ${id}`, BOB_TOKEN)).toMatchObject({ outcome: "started", deploy: { id, approval: { approvedBy: ["api:bob"] } } });
    expect((await b.runDeploy(id)).state).toBe("succeeded");
    expect(emulator.emulator.executions("donations-staging")).toHaveLength(before + 1);
  });
});
