import type { Verification } from "../../../src/core/model/deploy.js";
import { verificationLines } from "../../../src/core/model/verification-text.js";
import { aDeploy } from "../../kit/builders.js";
import { AlarmReadError, type AlarmReading } from "../../../src/core/ports/alarms.js";
import {
  applyAlarmReading,
  backoffMs,
  checkIntervalMs,
  MAX_BACKOFF_MS,
  MIN_CHECK_INTERVAL_MS,
  nextVerificationStep,
  startVerification,
} from "../../../src/core/orchestrator/alarm-verification.js";

const START = new Date("2026-11-27T15:00:00Z");
const after = (ms: number) => new Date(START.getTime() + ms);
const MINUTE = 60_000;
const settings = { alarms: ["web-5xx", "web-latency"], forMs: 10 * MINUTE, onAlarm: "rollback" as const };
const fresh = (): Verification => startVerification(settings, START);
const checkedAt = (v: Verification, ms: number, failures = 0): Verification => ({ ...v, checkedAt: after(ms).toISOString(), checks: v.checks + 1, failures });
const states = (entries: Record<string, AlarmReading["state"]>, since = after(MINUTE)): ReadonlyMap<string, AlarmReading> =>
  new Map(Object.entries(entries).map(([name, state]) => [name, { state, since: since.toISOString() }]));

describe("the verification schedule", () => {
  it.each([
    [1 * MINUTE, 60_000],
    [90_000, 45_000],
    [10 * MINUTE, 600_000 / 19],
    [60 * MINUTE, 3_600_000 / 119],
  ])("splits a %i ms period into checks at least 30 s apart, at most one per 30 s", (period, interval) => {
    expect(checkIntervalMs(period)).toBe(Math.ceil(interval));
    expect(checkIntervalMs(period)).toBeGreaterThan(MIN_CHECK_INTERVAL_MS - 1);
    const checks = Math.floor(period / checkIntervalMs(period)) + 1;
    expect(checks).toBeLessThanOrEqual(period / MIN_CHECK_INTERVAL_MS);
  });

  it("doubles the wait for each failed call in a row, capped at 5 minutes", () => {
    const v = checkedAt(fresh(), 0);
    const regular = checkIntervalMs(10 * MINUTE);
    expect([0, 1, 2, 3, 4].map((failures) => backoffMs({ ...v, failures }))).toEqual([regular, regular * 2, regular * 4, regular * 8, MAX_BACKOFF_MS]);
  });

  it("checks at once, then waits for the interval, then again; the period's end gets one last check", () => {
    const v = fresh();
    expect(nextVerificationStep(v, START)).toEqual({ kind: "check", final: false });
    const once = checkedAt(v, 0);
    const interval = checkIntervalMs(10 * MINUTE);
    expect(nextVerificationStep(once, after(10_000))).toEqual({ kind: "wait", ms: interval - 10_000 });
    expect(nextVerificationStep(once, after(interval))).toEqual({ kind: "check", final: false });
    const late = checkedAt(v, 9 * MINUTE + 40_000);
    expect(nextVerificationStep(late, after(10 * MINUTE))).toEqual({ kind: "pass" });
    expect(nextVerificationStep(checkedAt(v, 9 * MINUTE), after(10 * MINUTE))).toEqual({ kind: "check", final: true });
  });

  it("never waits past the period's end, however long the backoff", () => {
    const throttled = checkedAt(fresh(), 8 * MINUTE, 4);
    expect(nextVerificationStep(throttled, after(8 * MINUTE + 1))).toEqual({ kind: "wait", ms: 2 * MINUTE - 1 });
  });
});

describe("what one DescribeAlarms answer means", () => {
  const where = "us-east-1 (account 111122223333)";
  it("an alarm in ALARM during the period fires; OK and INSUFFICIENT_DATA do not", () => {
    expect(applyAlarmReading(fresh(), states({ "web-5xx": "OK", "web-latency": "INSUFFICIENT_DATA" }), START, where, "web/prod").firing).toBeUndefined();
    const outcome = applyAlarmReading(fresh(), states({ "web-5xx": "OK", "web-latency": "ALARM" }), START, where, "web/prod");
    expect(outcome.firing).toBe("web-latency");
    expect(outcome.verification).toMatchObject({ checks: 1, failures: 0, checkedAt: START.toISOString() });
  });

  it("an alarm that went into ALARM after the period does not count", () => {
    expect(applyAlarmReading(fresh(), states({ "web-5xx": "ALARM", "web-latency": "OK" }, after(11 * MINUTE)), after(11 * MINUTE), where, "web/prod").firing).toBeUndefined();
  });

  it("an alarm already in ALARM before the deploy started is held until the last check: a fix or a rollback has the period to clear it", () => {
    const deployStartedAt = after(-2 * MINUTE).toISOString();
    const earlier = states({ "web-5xx": "ALARM", "web-latency": "OK" }, after(-5 * MINUTE));
    const held = applyAlarmReading(fresh(), earlier, START, where, "web/prod", { final: false, deployStartedAt });
    expect(held.firing).toBeUndefined();
    expect(held.verification.holding).toEqual(["web-5xx"]);
    const cleared = applyAlarmReading(held.verification, states({ "web-5xx": "OK", "web-latency": "OK" }, after(3 * MINUTE)), after(3 * MINUTE), where, "web/prod", { final: false, deployStartedAt });
    expect(cleared.firing).toBeUndefined();
    expect(cleared.verification.holding).toBeUndefined();
    const stillFiring = applyAlarmReading(held.verification, earlier, after(10 * MINUTE), where, "web/prod", { final: true, deployStartedAt });
    expect(stillFiring.firing).toBe("web-5xx");
    expect(stillFiring.verification.heldToEnd).toBe(true);
    // One that went into ALARM after the deploy started is the release's doing: it fires at once.
    const during = states({ "web-5xx": "ALARM", "web-latency": "OK" }, after(-1 * MINUTE));
    expect(applyAlarmReading(fresh(), during, START, where, "web/prod", { final: false, deployStartedAt }).firing).toBe("web-5xx");
  });

  it("names missing alarms once, clears the problem when they appear, and never fires for them", () => {
    const missing = applyAlarmReading(fresh(), states({ "web-5xx": "OK" }), START, where, "web/prod");
    expect(missing.problemChanged).toBe(true);
    expect(missing.verification.problem?.message).toBe(
      'alarm "web-latency" does not exist in us-east-1 (account 111122223333); fix verify.alarms for web/prod in whistlestop.yml (the other alarms are still watched)',
    );
    expect(applyAlarmReading(missing.verification, states({ "web-5xx": "OK" }), after(MINUTE), where, "web/prod").problemChanged).toBe(false);
    const found = applyAlarmReading(missing.verification, states({ "web-5xx": "OK", "web-latency": "OK" }), after(2 * MINUTE), where, "web/prod");
    expect(found).toMatchObject({ problemChanged: true });
    expect(found.verification.problem).toBeUndefined();
  });

  it("AccessDenied becomes the problem (once) and a failure; throttling only a failure", () => {
    const denied = applyAlarmReading(fresh(), new AlarmReadError("(AccessDenied: not authorized)", "access_denied"), START, where, "web/prod");
    expect(denied).toMatchObject({ problemChanged: true, verification: { failures: 1, problem: { kind: "access_denied" } } });
    expect(denied.verification.problem?.message).toContain("grant cloudwatch:DescribeAlarms");
    expect(denied.firing).toBeUndefined();
    const again = applyAlarmReading(denied.verification, new AlarmReadError("(AccessDenied: not authorized)", "access_denied"), after(MINUTE), where, "web/prod");
    expect(again).toMatchObject({ problemChanged: false, verification: { failures: 2 } });
    const throttled = applyAlarmReading(fresh(), new AlarmReadError("Rate exceeded", "throttled"), START, where, "web/prod");
    expect(throttled).toMatchObject({ problemChanged: false, verification: { failures: 1 } });
    expect(throttled.verification.problem).toBeUndefined();
  });
});

describe("what every surface says about a verification", () => {
  const verifying = (rollbackOf?: string) =>
    aDeploy({ state: "verifying", ...(rollbackOf ? { rollbackOf } : {}), verification: { ...fresh(), holding: ["web-5xx"] } });

  it("a deploy says an alarm rolls it back, and which firing alarm it holds until the end", () => {
    expect(verificationLines(verifying(), after(MINUTE))).toEqual([
      "Verifying, 9 min left: watching web-5xx, web-latency (an alarm rolls it back)",
      "web-5xx has been in ALARM since before this deploy: it fails only if still in ALARM when verification ends",
    ]);
  });

  it("a rollback is never rolled back itself, and does not say so", () => {
    expect(verificationLines(verifying("d-bad"), after(MINUTE))[0]).toBe("Verifying, 9 min left: watching web-5xx, web-latency");
    const failed = aDeploy({ state: "failed", rollbackOf: "d-bad", reasonCode: "alarm:web-5xx", verification: fresh() });
    expect(verificationLines(failed, after(MINUTE))).toEqual(["Alarm web-5xx went into ALARM during verification"]);
  });

  it("an alarm held since before the deploy that never cleared is said as such, not as one that fired during it", () => {
    const failed = aDeploy({ state: "failed", reasonCode: "alarm:web-5xx", verification: { ...fresh(), heldToEnd: true } });
    expect(verificationLines(failed, after(10 * MINUTE))).toEqual(["Alarm web-5xx was still in ALARM when verification ended (it had been since before this deploy); rolling back"]);
  });
});
