import { OfflineSourceControl } from "../../src/adapters/source-control/offline-source-control.js";
import { SANDBOX_FEATURE_BRANCH, seedSandboxHistory } from "../../src/adapters/source-control/sandbox-seed.js";
import { SandboxSourceControl } from "../../src/adapters/source-control/sandbox-source-control.js";
import { startTestApp, type TestApp } from "../kit/test-app.js";

const REPO = "whistlestop-demo/donations";
const STARTED = new Date("2026-11-03T12:00:00Z");
const HOUR = 3_600_000;

describe("the sandbox's repository history", () => {
  const history = seedSandboxHistory(REPO, STARTED);
  const main = history.branchHead("main")!;

  test("main has a chain of commits back to a root, with four squash-merged pull requests", () => {
    const chain: string[] = [];
    for (let sha: string | undefined = main; sha; sha = history.commitOf(sha)?.parents[0]) chain.push(sha);
    expect(chain).toHaveLength(6);
    expect(history.commitOf(chain.at(-1)!)).toMatchObject({ message: "Initial commit", parents: [] });
    expect(history.pulls().map((pull) => pull.number)).toEqual([1, 2, 3, 4]);
    for (const pull of history.pulls()) {
      expect(chain).toContain(pull.mergeCommitSha);
      expect(pull).toMatchObject({ title: expect.any(String), author: expect.any(String), mergedAt: expect.any(Date) });
      expect(pull.mergedAt.getTime()).toBeLessThan(STARTED.getTime());
    }
  });

  test("branches, tags, refs/… forms, full and short shas resolve; anything else does not", () => {
    const feature = history.branchHead(SANDBOX_FEATURE_BRANCH)!;
    expect(feature).toMatch(/^[0-9a-f]{40}$/);
    expect(feature).not.toBe(main);
    expect(history.resolve("main")).toBe(main);
    expect(history.resolve("refs/heads/main")).toBe(main);
    expect(history.resolve(SANDBOX_FEATURE_BRANCH)).toBe(feature);
    const v1 = history.resolve("v1.0.0")!;
    expect(history.resolve("refs/tags/v1.0.0")).toBe(v1);
    expect(history.pulls().find((pull) => pull.number === 1)!.mergeCommitSha).toBe(v1);
    expect(history.resolve(v1.toUpperCase())).toBe(v1);
    expect(history.resolve(v1.slice(0, 7))).toBe(v1);
    expect(history.resolve("nosuchbranch")).toBeUndefined();
    expect(history.resolve("v9.9.9")).toBeUndefined();
    expect(history.resolve("0123456789abcdef0123456789abcdef01234567")).toBeUndefined();
    expect(history.resolve(v1.slice(0, 6))).toBeUndefined();
    // A merged PR's branch is gone, as after GitHub's "delete branch".
    expect(history.resolve("json-logs")).toBeUndefined();
  });

  test("the same repository always gets the same history; another repository gets its own", () => {
    expect(seedSandboxHistory(REPO, STARTED).branchHead("main")).toBe(main);
    expect(seedSandboxHistory("whistlestop-demo/events", STARTED).branchHead("main")).not.toBe(main);
  });

  test("compare lists what head has that base has not, and the pull requests that merged it", () => {
    const v1 = history.resolve("v1.0.0")!;
    const shipped = history.compare(v1, main)!;
    expect(shipped.commits.map((c) => c.message)).toEqual(["Update dependencies (#4)", "Retry the payment processor on 503 (#3)", "Log requests as JSON (#2)"]);
    expect(shipped.pulls.map((pull) => pull.number)).toEqual([2, 3, 4]);
    expect(history.compare(main, v1)).toEqual({ commits: [], pulls: [] });
    const feature = history.compare(main, history.branchHead(SANDBOX_FEATURE_BRANCH)!)!;
    expect(feature.commits.map((c) => c.message)).toEqual(["Prefetch the payment form", "Load the checkout script lazily"]);
    expect(feature.pulls).toEqual([]);
    expect(history.compare("0".repeat(40), main)).toBeUndefined();
  });
});

describe("SandboxSourceControl", () => {
  test("main gains one merged pull request an hour; everything answered before stays true", async () => {
    let now = new Date(STARTED.getTime() + 30 * 60_000);
    const sourceControl = new SandboxSourceControl({ startedAt: STARTED, now: () => now });
    const first = (await sourceControl.defaultBranchHead(REPO))!;
    expect(first).toBe(seedSandboxHistory(REPO, STARTED).branchHead("main"));
    expect(await sourceControl.resolveRef(REPO, "main")).toBe(first);

    now = new Date(STARTED.getTime() + 2 * HOUR + 1);
    const third = (await sourceControl.defaultBranchHead(REPO))!;
    const history = sourceControl.history(REPO);
    expect(history.commitOf(history.commitOf(third)!.parents[0]!)!.parents[0]).toBe(first);
    expect(history.pulls().map((pull) => pull.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(history.pulls().at(-1)).toMatchObject({ mergeCommitSha: third, mergedAt: new Date(STARTED.getTime() + 2 * HOUR) });
    expect(await sourceControl.resolveRef(REPO, first.slice(0, 8))).toBe(first);
    expect(history.compare(first, third)!.pulls.map((pull) => pull.number)).toEqual([5, 6]);

    // Restarted at the same time with the same start: the same history.
    const again = new SandboxSourceControl({ startedAt: STARTED, now: () => now });
    expect(await again.defaultBranchHead(REPO)).toBe(third);
  });

  test("compare answers like GitHub's: oldest first, both counts, the status, unknown shas", async () => {
    const sourceControl = new SandboxSourceControl({ startedAt: STARTED, now: () => STARTED });
    const history = sourceControl.history(REPO);
    const v1 = history.resolve("v1.0.0")!;
    const main = history.branchHead("main")!;
    const feature = history.branchHead(SANDBOX_FEATURE_BRANCH)!;
    const ahead = await sourceControl.compare(REPO, v1, main);
    expect(ahead).toMatchObject({ kind: "compared", status: "ahead", aheadBy: 3, behindBy: 0 });
    expect(ahead.kind === "compared" && ahead.commits.map((c) => [c.message, c.author])).toEqual([
      ["Log requests as JSON (#2)", "octocat"],
      ["Retry the payment processor on 503 (#3)", "jordan-payments"],
      ["Update dependencies (#4)", "octocat"],
    ]);
    expect(await sourceControl.compare(REPO, main, v1)).toMatchObject({ status: "behind", aheadBy: 0, behindBy: 3, commits: [] });
    expect(await sourceControl.compare(REPO, main, main)).toMatchObject({ status: "identical", aheadBy: 0, behindBy: 0 });
    expect(await sourceControl.compare(REPO, main, feature)).toMatchObject({ status: "diverged", aheadBy: 2, behindBy: 2 });
    expect(await sourceControl.compare(REPO, "0".repeat(40), main)).toEqual({ kind: "unknown_commit" });
  });

  test("a range longer than GitHub lists is counted in full and listed up to 250, newest kept", async () => {
    const now = new Date(STARTED.getTime() + 300 * HOUR);
    const sourceControl = new SandboxSourceControl({ startedAt: STARTED, now: () => now });
    const history = sourceControl.history(REPO);
    const comparison = await sourceControl.compare(REPO, history.resolve("v1.0.0")!, history.branchHead("main")!);
    if (comparison.kind !== "compared") throw new Error("expected a comparison");
    expect(comparison.aheadBy).toBe(303);
    expect(comparison.commits).toHaveLength(250);
    expect(comparison.commits.at(-1)!.message).toMatch(/\(#304\)$/);
  });

  test("a bad_ref from the sandbox says which refs exist", () => {
    expect(new SandboxSourceControl({ startedAt: STARTED, now: () => STARTED }).limitation).toContain("feature/faster-checkout");
  });
});

describe("whistlestop start without GitHub: only full shas (real server)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ sourceControl: new OfflineSourceControl() });
  });
  afterAll(() => t.close());

  test("a branch, a short sha or the default branch is refused, saying what to configure", async () => {
    for (const text of ["deploy donations staging main", "deploy donations staging abc1234", "deploy donations staging"]) {
      const result = await t.command(text);
      expect(result).toMatchObject({ status: 200, outcome: "refused", reasonCode: "bad_ref" });
      expect(result.message).toContain("GitHub is not configured, so only a full 40-character commit sha can be deployed: set APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET");
    }
    expect(await t.store.listDeploys({})).toEqual([]);
  });

  test("a full sha is deployed as given", async () => {
    const result = await t.command(`deploy donations staging ${"A1".repeat(20)}`);
    expect(result).toMatchObject({ outcome: "started", deploy: { sha: "a1".repeat(20) } });
  });
});
