import { doraRecordOf } from "../../../src/core/metrics/dora-record.js";
import { parseDoraQuery } from "../../../src/core/metrics/dora-query.js";
import { DoraReports } from "../../../src/core/metrics/dora-report.js";
import { MemoryStore } from "../../fakes/memory-store.js";
import { aDeploy } from "../../kit/builders.js";
import { testConfig } from "../harness.js";

const NOW = new Date("2026-11-20T12:00:00.000Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

describe("DORA facts of a deploy", () => {
  it("a succeeded deploy ships the PRs its change set names and the merge that started it; a branch deploy's PR is not merged", () => {
    const base = aDeploy({ state: "succeeded", startedAt: hoursAgo(2), finishedAt: hoursAgo(1), stages: [{ name: "Source", status: "succeeded" }, { name: "Bake", status: "skipped" }] });
    const merge = doraRecordOf({ ...base, automatic: true, prNumber: 7, changeSet: { status: "listed", direction: "ships", headSha: base.sha, pulls: [{ number: 5, title: "x" }], allPulls: [{ number: 5 }, { number: 6 }], computedAt: hoursAgo(2) } });
    expect(merge?.outcome.stagesStarted).toEqual(["Source"]);
    expect(merge?.changes.map((c) => c.number)).toEqual([5, 6, 7]);
    expect(doraRecordOf({ ...base, prNumber: 9 })?.changes).toEqual([]);
    expect(doraRecordOf({ ...base, rollbackOf: "d-0", automatic: true, prNumber: 7 })?.changes).toEqual([]);
    expect(doraRecordOf({ ...base, state: "running" })).toBeUndefined();
    expect(doraRecordOf({ ...base, state: "cancelled", startedAt: undefined })).toBeUndefined();
  });
});

describe("DORA queries", () => {
  const config = testConfig();
  it("takes configured names and 7, 30 or 90 days; says what would work otherwise", () => {
    expect(parseDoraQuery(config, {})).toEqual({ ok: true, query: { days: 30 } });
    expect(parseDoraQuery(config, { service: "donations", env: " prod ", days: "90" })).toEqual({ ok: true, query: { service: "donations", env: "prod", days: 90 } });
    expect(parseDoraQuery(config, { service: "donatoins" })).toEqual({ ok: false, message: 'unknown service "donatoins" — did you mean "donations"? Leave it empty for every service.' });
    expect(parseDoraQuery(config, { env: "qa" })).toMatchObject({ ok: false, message: expect.stringContaining('unknown environment "qa"') });
    expect(parseDoraQuery(config, { days: "14" })).toEqual({ ok: false, message: 'days must be one of 7, 30, 90; "14" is not.' });
    expect(parseDoraQuery(config, { days: "7d" })).toMatchObject({ ok: false });
  });
});

describe("DORA reports", () => {
  it("reads the store once and gives the period, every configured target, and a series of days", async () => {
    const store = new MemoryStore();
    const reports = new DoraReports({ store, config: testConfig(), clock: { now: () => NOW } });
    await store.recordPullMerge({ service: "donations", repo: "hfa/donations", number: 3, mergeSha: "c".repeat(40), mergedAt: hoursAgo(30) });
    const deploy = { ...aDeploy({ id: "d-1", service: "donations", env: "prod", automatic: true, prNumber: 3 }), state: "queued" as const };
    await store.insertDeploy(deploy);
    await store.claimSlot("d-1", new Date(hoursAgo(7)));
    await store.updateDeploy("d-1", { state: "succeeded", finishedAt: hoursAgo(6), stages: [{ name: "Deploy", status: "succeeded" }] });

    const report = await reports.report({ days: 7 });
    expect(report.targets.map((t) => `${t.service}/${t.env}`)).toEqual(["donations/staging", "donations/prod", "events/staging", "events/prod"]);
    expect(report.overall.deploymentFrequency).toEqual({ perDay: 1 / 7, deploys: 1 });
    expect(report.overall.leadTime).toEqual({ changes: 1, medianSeconds: 24 * 3600, p90Seconds: 24 * 3600 });
    expect(report.series).toHaveLength(7);
    expect(report.series.at(-1)?.metrics.deploymentFrequency.deploys).toBe(1);
    expect((await reports.report({ days: 90, env: "staging" })).series).toHaveLength(13);
    const gauges = await reports.gauges();
    expect(gauges).toHaveLength(4 * 3);
    expect(gauges.find((g) => g.service === "donations" && g.env === "prod" && g.window === 30)?.metrics.changeFailureRate).toEqual({ rate: 0, failures: 0, deploys: 1 });
  });
});
