import type { DeployView } from "../../src/core/commands/command-result.js";
import { ADMIN_TOKEN, TEST_TOKEN, type TestApp } from "../kit/test-app.js";
import { waitFor } from "../kit/wait-for.js";
import { ALARM, BAD, deployToVerifying, GOOD, startVerifiedApp, setAlarm, stateOf, TestClock, verifiedConfig, isState } from "./verify-kit.js";

const MINUTE = 60_000;

const describeAlarmsCalls = (t: TestApp): number => t.emulator.emulator.stats().calls.DescribeAlarms ?? 0;

describe("verify: alarms through the real server, the CloudWatch SDK client and the emulator", () => {
  let t: TestApp;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    t = await startVerifiedApp(clock);
  });
  afterEach(async () => {
    await t.close();
  });

  test("a deploy verifies for its period, shows the time left, holds its slot, then succeeds", async () => {
    const verifying = await deployToVerifying(t, GOOD);
    expect(verifying.verification).toMatchObject({ alarms: [ALARM], checks: 1, failures: 0 });
    const view = (await (await fetch(`${t.url}/api/v1/deploys/${verifying.id}`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })).json()) as DeployView;
    expect(view).toMatchObject({ state: "verifying", verification: { alarms: [ALARM], onAlarm: "rollback" } });
    expect((await t.command("status donations")).message).toMatch(/staging: .*verifying .*, 10 min left/);

    // The next deploy of donations/staging queues behind the verification.
    const next = await t.command(`deploy donations staging ${BAD}`);
    expect(next).toMatchObject({ outcome: "queued", deploy: { state: "queued" } });

    clock.advance(10 * MINUTE + 1);
    const succeeded = await stateOf(t, verifying.id, "succeeded");
    expect(succeeded.error).toBeUndefined();
    // The queued deploy starts once verification has ended.
    await waitFor("the queued deploy to start", async () => ((await t.store.getDeploy(next.deploy!.id))?.state === "running" ? true : undefined));
  });

  test("an alarm during verification fails the deploy with alarm:<name> and starts exactly one rollback", async () => {
    const good = await deployToVerifying(t, GOOD);
    clock.advance(10 * MINUTE + 1);
    await stateOf(t, good.id, "succeeded");

    const bad = await deployToVerifying(t, BAD);
    setAlarm(t.emulator, clock, "ALARM");
    clock.advance(MINUTE);
    const failed = await stateOf(t, bad.id, "failed");
    expect(failed).toMatchObject({ error: `alarm:${ALARM}`, reasonCode: `alarm:${ALARM}` });

    const rollbackId = await waitFor("the failed deploy to link its rollback", async () => (await t.store.getDeploy(bad.id))?.autoRollbackId);
    // The rollback is verified too. The alarm the bad release set off is still firing when it starts:
    // that is held, not counted, while it has the period to clear.
    await t.runDeploy(rollbackId, isState("verifying"));
    const held = await waitFor("the rollback's first check", async () => {
      const deploy = await t.store.getDeploy(rollbackId);
      return deploy?.verification?.checkedAt ? deploy : undefined;
    });
    expect(held).toMatchObject({ state: "verifying", verification: { holding: [ALARM] } });
    clock.advance(3 * MINUTE);
    setAlarm(t.emulator, clock, "OK");
    clock.advance(7 * MINUTE + 1);
    const rollback = await stateOf(t, rollbackId, "succeeded");
    expect(rollback).toMatchObject({ sha: GOOD, actor: "whistlestop", rollbackOf: bad.id });
    const rollbacks = (await t.store.listDeploys({ service: "donations", env: "staging" })).filter((d) => d.rollbackOf);
    expect(rollbacks.map((d) => d.id)).toEqual([rollbackId]);
    expect(t.emulator.emulator.stats().calls.RollbackStage).toBe(1);
  });

  test("an alarm in ALARM since before the deploy started, and still at the period's end, fails it then", async () => {
    setAlarm(t.emulator, clock, "ALARM");
    clock.advance(MINUTE);
    const fix = await deployToVerifying(t, GOOD);
    expect(fix).toMatchObject({ state: "verifying", verification: { holding: [ALARM] } });
    const view = (await (await fetch(`${t.url}/api/v1/deploys/${fix.id}`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })).json()) as DeployView;
    expect(view.verification).toMatchObject({ holding: [ALARM] });
    clock.advance(10 * MINUTE + 1);
    const failed = await stateOf(t, fix.id, "failed");
    expect(failed.reasonCode).toBe(`alarm:${ALARM}`);
  });

  test("cancel stops the verification: the deploy counts as succeeded, unverified, and the next one starts", async () => {
    const verifying = await deployToVerifying(t, GOOD);
    // Queued by someone else: `cancel` drops the caller's own queued deploy first.
    const next = await t.command(`deploy donations staging ${BAD}`, ADMIN_TOKEN);
    const cancelled = await t.command("cancel donations staging");
    expect(cancelled).toMatchObject({ outcome: "done", deploy: { id: verifying.id, state: "succeeded" } });
    expect(cancelled.message).toContain("counts as succeeded, unverified");
    expect((await t.store.getDeploy(verifying.id))?.verification?.stoppedBy).toBe("api:ci");
    await waitFor("the queued deploy to start", async () => ((await t.store.getDeploy(next.deploy!.id))?.state === "running" ? true : undefined));
  });

  test("an alarm after the period changes nothing: no failure, no rollback, no further reads", async () => {
    const good = await deployToVerifying(t, GOOD);
    clock.advance(10 * MINUTE + 1);
    await stateOf(t, good.id, "succeeded");
    const calls = describeAlarmsCalls(t);
    expect(calls).toBeLessThanOrEqual(20);

    setAlarm(t.emulator, clock, "ALARM");
    clock.advance(5 * MINUTE);
    await t.app.sweep();
    await t.app.tracker.settled();
    expect(t.app.tracker.tracked()).not.toContain(good.id);
    expect(await t.store.getDeploy(good.id)).toMatchObject({ state: "succeeded" });
    expect((await t.store.listDeploys({ service: "donations", env: "staging" })).filter((d) => d.rollbackOf)).toEqual([]);
    expect(describeAlarmsCalls(t)).toBe(calls);
  });

  test("at most one DescribeAlarms call per 30 s of verification, however often the deploy is looked at", async () => {
    const verifying = await deployToVerifying(t, GOOD);
    // Looked at every 5 s of its 10 minutes (by the tracker and by this loop): 20 checks at most.
    for (let second = 0; second <= 600; second += 5) {
      clock.advance(5_000);
      await t.app.orchestrator.reconcile(verifying.id);
    }
    await stateOf(t, verifying.id, "succeeded");
    expect(describeAlarmsCalls(t)).toBeLessThanOrEqual(20);
    expect(describeAlarmsCalls(t)).toBeGreaterThanOrEqual(18);
  });
});

describe("verify: problems a person must fix", () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
  });

  test("an alarm that does not exist is named at the first check, the others are still watched", async () => {
    const clock = new TestClock();
    t = await startVerifiedApp(clock, { config: verifiedConfig(`[${ALARM}, checkout-latency]`) });
    t.emulator.emulator.cloudwatch.remove("checkout-latency");
    const verifying = await deployToVerifying(t, GOOD);
    expect(verifying.verification?.problem).toEqual({
      kind: "missing_alarms",
      message: expect.stringContaining('alarm "checkout-latency" does not exist in us-east-1'),
    });
    expect(verifying.verification?.problem?.message).toContain("fix verify.alarms for donations/staging in whistlestop.yml");
    const view = (await (await fetch(`${t.url}/api/v1/deploys/${verifying.id}`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })).json()) as DeployView;
    expect(view.verification?.problem).toContain('"checkout-latency" does not exist');

    setAlarm(t.emulator, clock, "ALARM");
    clock.advance(MINUTE);
    expect(await stateOf(t, verifying.id, "failed")).toMatchObject({ reasonCode: `alarm:${ALARM}` });
  });

  test("AccessDenied is reported once, clearly, and never fails or rolls back the deploy", async () => {
    const clock = new TestClock();
    t = await startVerifiedApp(clock);
    t.emulator.emulator.cloudwatch.denied = true;
    const verifying = await deployToVerifying(t, GOOD);
    expect(verifying.verification?.problem).toMatchObject({ kind: "access_denied" });
    expect(verifying.verification?.problem?.message).toContain("grant cloudwatch:DescribeAlarms");
    const notices = new Set<string>();
    for (let i = 0; i < 4; i++) {
      clock.advance(3 * MINUTE);
      await t.app.tracker.settled();
      const now = await t.store.getDeploy(verifying.id);
      if (now?.verification?.problem) notices.add(now.verification.problem.message);
    }
    const done = await stateOf(t, verifying.id, "succeeded");
    expect(notices.size).toBe(1);
    expect(done.verification?.failures).toBeGreaterThan(1);
    expect((await t.store.listDeploys({ service: "donations", env: "staging" })).filter((d) => d.rollbackOf)).toEqual([]);
  });

  test("throttling is retried later, backing off, and the verification goes on", async () => {
    const clock = new TestClock();
    t = await startVerifiedApp(clock);
    t.emulator.emulator.throttleNext(2, "DescribeAlarms");
    const verifying = await deployToVerifying(t, GOOD);
    expect(verifying.verification).toMatchObject({ failures: 1 });
    expect(verifying.verification?.problem).toBeUndefined();
    clock.advance(MINUTE + 5_000);
    await waitFor("a check after the backoff", async () => ((await t!.store.getDeploy(verifying.id))?.verification?.failures === 2 ? true : undefined));
    clock.advance(3 * MINUTE);
    await waitFor("a check that succeeds", async () => ((await t!.store.getDeploy(verifying.id))?.verification?.failures === 0 ? true : undefined));
    setAlarm(t.emulator, clock, "ALARM");
    clock.advance(MINUTE);
    expect(await stateOf(t, verifying.id, "failed")).toMatchObject({ reasonCode: `alarm:${ALARM}` });
  });
});
