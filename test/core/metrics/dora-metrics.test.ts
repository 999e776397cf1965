import { judgeDora, judgedByTarget, summarizeDora, targetKey } from "../../../src/core/metrics/dora-metrics.js";
import { median, nearestRank } from "../../../src/core/metrics/percentiles.js";
import type { DeployOutcome, DoraFacts, LeadTimeSample } from "../../../src/core/model/dora.js";

const T0 = Date.parse("2026-11-01T00:00:00.000Z");
const H = 3_600_000;
const iso = (hours: number) => new Date(T0 + hours * H).toISOString();
const FROM = new Date(T0);
const TO = new Date(T0 + 10 * 24 * H); // a 10-day period

let n = 0;
function outcome(state: DeployOutcome["state"], finishedHour: number, fields: Partial<DeployOutcome> = {}): DeployOutcome {
  n += 1;
  return {
    deployId: `d${n}`,
    service: "web",
    env: "prod",
    state,
    requestedAt: iso(finishedHour - 1),
    finishedAt: iso(finishedHour),
    stagesStarted: state === "failed" ? ["Source", "Bake", "Deploy"] : ["Source", "Bake", "Deploy"],
    ...fields,
  };
}
const lead = (mergedHour: number, liveHour: number, fields: Partial<LeadTimeSample> = {}): LeadTimeSample => ({ service: "web", env: "prod", number: 1, mergedAt: iso(mergedHour), liveAt: iso(liveHour), ...fields });
const metrics = (facts: Partial<DoraFacts>) => summarizeDora(judgeDora({ outcomes: [], leadTimes: [], ...facts }, () => "Deploy"), FROM, TO);

describe("percentiles", () => {
  it("median is the middle value, or the mean of the two middle ones", () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("p90 is a nearest rank: one of the values, the largest when there are few", () => {
    expect(nearestRank([], 90)).toBeNull();
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([1, 2], 90)).toBe(2);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9); // ceil(0.9·10) = 9th value
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10); // ceil(9.9) = 10th
  });
});

describe("DORA metrics", () => {
  it("no deploys: zero frequency, and nothing to measure for the rest (null, not 0)", () => {
    expect(metrics({})).toEqual({
      deploymentFrequency: { perDay: 0, deploys: 0 },
      leadTime: { changes: 0, medianSeconds: null, p90Seconds: null },
      changeFailureRate: { rate: null, failures: 0, deploys: 0 },
      timeToRestore: { medianSeconds: null, restored: 0, unrestored: 0 },
    });
  });

  it("deployment frequency counts succeeded deploys (rollbacks too) per day of the period, and only those that ended in it", () => {
    const m = metrics({
      outcomes: [outcome("succeeded", 1), outcome("succeeded", 30), outcome("succeeded", 50, { rollbackOf: "d-x" }), outcome("failed", 60), outcome("cancelled", 70), outcome("succeeded", -5), outcome("succeeded", 241)],
    });
    expect(m.deploymentFrequency).toEqual({ perDay: 3 / 10, deploys: 3 });
  });

  it("a failure before the deploy stage started is a deploy but not a change failure", () => {
    const m = metrics({ outcomes: [outcome("succeeded", 1), outcome("failed", 2, { stagesStarted: ["Source", "Bake"] }), outcome("failed", 3)] });
    // 3 deploys ended (2 failed, 1 succeeded); only the one that reached Deploy failed a change.
    expect(m.changeFailureRate).toEqual({ rate: 1 / 3, failures: 1, deploys: 3 });
  });

  it("a release rolled back within 24 hours is a change failure; one rolled back later is not", () => {
    const quick = outcome("succeeded", 10);
    const slow = outcome("succeeded", 20);
    const m = metrics({
      outcomes: [
        quick,
        outcome("succeeded", 40, { rollbackOf: quick.deployId, requestedAt: iso(10 + 24) }), // exactly 24 h: within
        slow,
        outcome("succeeded", 60, { rollbackOf: slow.deployId, requestedAt: iso(20 + 24.5) }), // 24.5 h: after
      ],
    });
    expect(m.changeFailureRate).toEqual({ rate: 1 / 4, failures: 1, deploys: 4 });
  });

  it("time to restore runs from a failure to the next succeeded deploy that is not a failure itself; failures in between join it", () => {
    const bad = outcome("succeeded", 50);
    const m = metrics({
      outcomes: [
        outcome("failed", 10), // incident 1 starts at 10 h
        outcome("failed", 11), // same incident
        outcome("succeeded", 13), // restored: 3 h
        bad, // rolled back within 24 h: incident 2 starts at 50 h
        outcome("succeeded", 51, { rollbackOf: bad.deployId, requestedAt: iso(50.5) }), // restored: 1 h
        outcome("failed", 100, { stagesStarted: ["Source"] }), // not a change failure: no incident
        outcome("failed", 200), // incident 3, still open
      ],
    });
    expect(m.timeToRestore).toEqual({ medianSeconds: 2 * 3600, restored: 2, unrestored: 1 });
    expect(m.changeFailureRate).toEqual({ rate: 4 / 7, failures: 4, deploys: 7 });
  });

  it("lead time: median and p90 of merge → live for changes that went live in the period", () => {
    const m = metrics({ leadTimes: [lead(0, 1), lead(0, 2, { number: 2 }), lead(0, 3, { number: 3 }), lead(0, 10, { number: 4 }), lead(-500, -1, { number: 5 })] });
    // 1, 2, 3 and 10 hours: median 2.5 h, p90 = ceil(3.6) = 4th = 10 h. The change live before the period is left out.
    expect(m.leadTime).toEqual({ changes: 4, medianSeconds: 2.5 * 3600, p90Seconds: 10 * 3600 });
    expect(metrics({ leadTimes: [lead(0, 5)] }).leadTime).toEqual({ changes: 1, medianSeconds: 5 * 3600, p90Seconds: 5 * 3600 });
    // Live before its recorded merge: a data error, not a negative lead time.
    expect(metrics({ leadTimes: [lead(5, 4)] }).leadTime.changes).toBe(0);
  });

  it("targets are judged apart: a success elsewhere does not restore a failure, and the deploy stage is the target's own", () => {
    const judged = judgeDora(
      {
        outcomes: [
          outcome("failed", 1, { env: "staging", stagesStarted: ["Source", "Roll"] }),
          outcome("succeeded", 2),
          outcome("succeeded", 4, { env: "staging" }),
        ],
        leadTimes: [],
      },
      (_service, env) => (env === "staging" ? "Roll" : "Deploy"),
    );
    const byTarget = judgedByTarget(judged);
    expect(summarizeDora(byTarget.get(targetKey("web", "staging"))!, FROM, TO).timeToRestore).toEqual({ medianSeconds: 3 * 3600, restored: 1, unrestored: 0 });
    expect(summarizeDora(byTarget.get(targetKey("web", "prod"))!, FROM, TO).changeFailureRate).toEqual({ rate: 0, failures: 0, deploys: 1 });
  });
});
