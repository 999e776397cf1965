import { randomBytes } from "node:crypto";
import type pg from "pg";
import { openStore } from "../../src/adapters/store/open-store.js";
import type { Store } from "../../src/core/ports/store.js";
import { alarmsFromConfig } from "../../src/emulator/cloudwatch-emulator.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import type { TestApp } from "../kit/test-app.js";
import { connectOrExplain, TEST_DATABASE_URL } from "../store/store-harness.js";
import { ALARM, BAD, deployToVerifying, GOOD, startVerifiedApp, setAlarm, stateOf, TestClock, verifiedConfig } from "./verify-kit.js";
import { waitFor } from "../kit/wait-for.js";

const MINUTE = 60_000;

/**
 * Two replicas on one PostgreSQL schema and one emulator. The replica following a verifying deploy
 * stops without handing its lease back (as a crash leaves it); once the lease runs out the other
 * takes the deploy over and goes on from the stored start: the time left, the checks made, the
 * alarm that then fires.
 */
describe("a failover during verification, on PostgreSQL", () => {
  let admin: pg.Client;
  let schema: string;
  let emulator: RunningEmulator;
  const stores: Store[] = [];
  const apps: TestApp[] = [];

  beforeAll(async () => {
    admin = await connectOrExplain(TEST_DATABASE_URL);
  });
  beforeEach(async () => {
    schema = `ws_verify_${process.pid}_${randomBytes(4).toString("hex")}`;
    const config = verifiedConfig();
    emulator = await startEmulator({ pipelines: pipelinesFromConfig(config), alarms: alarmsFromConfig(config), scheduler: "manual", stepMs: 1000 });
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close().catch(() => undefined);
    for (const store of stores.splice(0)) await store.close();
    await emulator.close();
    await admin.query(`drop schema if exists "${schema}" cascade`);
  });
  afterAll(async () => {
    await admin.end();
  });

  const replica = async (clock: TestClock, replicaId: string): Promise<TestApp> => {
    const store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 4 });
    stores.push(store);
    const app = await startVerifiedApp(clock, { store, emulator, replicaId });
    apps.push(app);
    return app;
  };

  test("the second replica resumes the verification where it was, and an alarm then rolls back once", async () => {
    const clock = new TestClock();
    const first = await replica(clock, "replica-a");
    const second = await replica(clock, "replica-b");
    const good = await deployToVerifying(first, GOOD);
    clock.advance(10 * MINUTE + 1);
    await stateOf(first, good.id, "succeeded");

    const bad = await deployToVerifying(first, BAD);
    expect(bad.ownerId).toBe("replica-a");
    clock.advance(4 * MINUTE);
    const checked = await waitFor("replica-a to check again", async () => {
      const now = await first.store.getDeploy(bad.id);
      return now && now.verification!.checks > 1 ? now : undefined;
    });
    // replica-a renews its lease one last time and dies: it stops following, its lease runs out.
    await first.app.sweep();
    await first.app.tracker.stop();
    await second.app.sweep();
    expect((await second.store.getDeploy(bad.id))?.ownerId).toBe("replica-a");

    clock.advance(MINUTE);
    await second.app.sweep();
    const resumed = await waitFor("replica-b to take the verification over and check", async () => {
      const now = await second.store.getDeploy(bad.id);
      return now?.ownerId === "replica-b" && now.verification!.checks > checked.verification!.checks ? now : undefined;
    });
    expect(resumed.state).toBe("verifying");
    // Same period: it was not restarted by the takeover.
    expect(resumed.verification).toMatchObject({ startedAt: bad.verification!.startedAt, endsAt: bad.verification!.endsAt });
    expect((await second.command("status donations")).message).toMatch(/verifying .*, 5 min left/);

    setAlarm(emulator, clock, "ALARM");
    clock.advance(MINUTE);
    const failed = await stateOf(second, bad.id, "failed");
    expect(failed.reasonCode).toBe(`alarm:${ALARM}`);
    const rollbackId = await waitFor("the rollback", async () => (await second.store.getDeploy(bad.id))?.autoRollbackId);
    const rollbacks = (await second.store.listDeploys({ service: "donations", env: "staging" })).filter((d) => d.rollbackOf === bad.id);
    expect(rollbacks.map((d) => d.id)).toEqual([rollbackId]);
  });
});
