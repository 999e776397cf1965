import { ADMIN_TOKEN } from "../kit/test-app.js";
import { describeCall, startGitHubTestApp, type GitHubTestApp } from "./github-test-kit.js";
import { mergedPullRequest, REPO } from "./webhook-fixtures.js";

const MERGE_SHA = "1111111111111111111111111111111111111111";

describe("GitHub merges, end to end through the real server, Probot and the emulator", () => {
  let g: GitHubTestApp;
  beforeEach(async () => {
    g = await startGitHubTestApp();
  });
  afterEach(async () => {
    await g.close();
  });

  test("merge → StartPipelineExecution at the merge sha → Deployment with statuses to success → one PR comment edited in place", async () => {
    const answer = await g.send("pull_request", mergedPullRequest({ number: 42, mergeSha: MERGE_SHA, merger: "octocat" }));
    expect(answer.status).toBe(200);

    const [deploy] = await g.deploysOf("donations", "staging");
    expect(deploy).toMatchObject({ sha: MERGE_SHA, actor: "octocat", surface: "github", automatic: true, prNumber: 42, githubRepo: REPO, state: "running" });
    const [execution] = g.t.emulator.emulator.executions("donations-staging");
    expect(execution).toMatchObject({ clientRequestToken: deploy!.id });
    expect(JSON.stringify(execution)).toContain(MERGE_SHA);

    const done = await g.t.runDeploy(deploy!.id);
    expect(done.state).toBe("succeeded");
    await g.settle();

    // What the merge itself asked of GitHub: only the admins' team. Merging proved write access,
    // and the merge commit came from GitHub, so neither is looked up.
    const reads = g.github.apiCalls().filter((c) => c.method === "GET").map(describeCall);
    expect(reads).toEqual([`GET /orgs/whistlestop-demo/teams/sre/memberships/octocat`]);

    const writes = g.github.writes();
    const deployment = writes.filter((c) => c.path === `/repos/${REPO}/deployments`);
    expect(deployment).toHaveLength(1);
    expect(deployment[0]!.body).toEqual({
      ref: MERGE_SHA,
      environment: "staging",
      task: "deploy",
      description: "Deploy donations to staging, requested by octocat via github",
      payload: { deployId: deploy!.id, service: "donations", actor: "octocat", surface: "github" },
      production_environment: false,
      transient_environment: false,
      auto_merge: false,
      required_contexts: [],
    });
    const stored = await g.t.store.getDeploy(deploy!.id);
    const statuses = writes.filter((c) => c.path === `/repos/${REPO}/deployments/${stored!.githubDeploymentId}/statuses`);
    expect(statuses.map((c) => c.body!.state)).toEqual(["queued", "in_progress", "success"]);
    const executionUrl = g.t.app.runner ? statuses[2]!.body!.log_url : undefined;
    expect(executionUrl).toMatch(/^https:\/\/.*console\.aws\.amazon\.com\/codesuite\/codepipeline\/pipelines\/donations-staging\/executions\//);
    expect(statuses[2]!.body!.description).toMatch(/^Deployed 1111111 in \d+s \(ami-[0-9a-f]{17}\)$/);

    const created = writes.filter((c) => c.method === "POST" && c.path === `/repos/${REPO}/issues/42/comments`);
    expect(created).toHaveLength(1);
    const edits = writes.filter((c) => c.method === "PATCH");
    expect(edits.length).toBeGreaterThan(0);
    expect(new Set(edits.map((c) => c.path))).toEqual(new Set([`/repos/${REPO}/issues/comments/${stored!.prCommentId}`]));
    const last = String(edits.at(-1)!.body!.body);
    expect(last).toContain("✅ Deploy of donations to staging succeeded");
    expect(last).toContain("✓ Source → ✓ Bake → ✓ Deploy → ✓ Verify");
    expect(last).toContain("merged by @octocat");
    // Nothing else was written: no reactions or replies for a merge.
    expect(writes.length).toBe(1 + statuses.length + created.length + edits.length);
  });

  test("the merge time is recorded, so the merged PR's lead time to live is known once its deploy succeeds", async () => {
    const mergedAt = new Date(Date.now() - 3_600_000).toISOString();
    await g.send("pull_request", mergedPullRequest({ number: 43, mergeSha: MERGE_SHA, mergedAt }));
    const [deploy] = await g.deploysOf("donations", "staging");
    const done = await g.t.runDeploy(deploy!.id);
    const facts = await g.t.store.readDoraFacts({ since: new Date(Date.now() - 86_400_000), service: "donations" });
    expect(facts.leadTimes).toEqual([{ service: "donations", env: "staging", number: 43, mergedAt, liveAt: done.finishedAt }]);
    expect(facts.outcomes).toEqual([expect.objectContaining({ deployId: deploy!.id, state: "succeeded" })]);
  });

  test("a redelivered merge (same X-GitHub-Delivery) does nothing new", async () => {
    const payload = mergedPullRequest({ mergeSha: MERGE_SHA });
    const first = await g.send("pull_request", payload);
    await g.settle();
    const callsAfterFirst = g.github.calls.length;
    const again = await g.send("pull_request", payload, { delivery: first.delivery });
    expect(again.status).toBe(200);
    await g.settle();
    expect(await g.deploysOf("donations")).toHaveLength(1);
    expect(g.t.emulator.emulator.executions("donations-staging")).toHaveLength(1);
    expect(g.github.calls.length).toBe(callsAfterFirst);
  });

  test("the same merge delivered twice under new delivery ids still deploys once (idempotency key)", async () => {
    const payload = mergedPullRequest({ mergeSha: MERGE_SHA });
    await Promise.all([g.send("pull_request", payload), g.send("pull_request", payload)]);
    await g.settle();
    expect(await g.deploysOf("donations")).toHaveLength(1);
    expect(g.t.emulator.emulator.executions("donations-staging")).toHaveLength(1);
  });

  test("a bad signature → 401 and nothing happens", async () => {
    const answer = await g.send("pull_request", mergedPullRequest({ mergeSha: MERGE_SHA }), { secret: "not-the-secret" });
    expect(answer.status).toBe(401);
    expect(answer.body).toContain("X-Hub-Signature-256");
    const unsigned = await g.send("pull_request", mergedPullRequest({ mergeSha: MERGE_SHA }), { signature: "" });
    expect(unsigned.status).toBe(401);
    await g.settle();
    expect(await g.deploysOf("donations")).toHaveLength(0);
    expect(g.github.calls).toHaveLength(0);
    expect(g.t.emulator.emulator.executions("donations-staging")).toHaveLength(0);
  });

  test("a signed delivery GitHub would never send is refused with what to fix, and nothing happens", async () => {
    const merge = mergedPullRequest({ mergeSha: MERGE_SHA });
    const form = await g.send("pull_request", merge, { contentType: "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    expect(JSON.parse(form.body).error).toMatch(/content type must be "application\/json"/);
    const anonymous = await g.send("pull_request", merge, { delivery: "" });
    expect(anonymous.status).toBe(400);
    expect(JSON.parse(anonymous.body).error).toMatch(/X-GitHub-Delivery/);
    const shapeless = await g.send("pull_request", { ...merge, pull_request: { ...(merge.pull_request as object), number: "42" } });
    expect(shapeless.status).toBe(400);
    expect(JSON.parse(shapeless.body).error).toMatch(/pull_request\.number.*nothing was done/);
    await g.settle();
    expect(await g.deploysOf("donations")).toHaveLength(0);
    expect(g.github.calls).toHaveLength(0);
    expect(g.t.emulator.emulator.executions("donations-staging")).toHaveLength(0);
  });

  test("a delivery whose store write fails is answered 500 without internals, and can be redelivered", async () => {
    const merge = mergedPullRequest({ mergeSha: MERGE_SHA });
    const accept = g.t.store.acceptRequests.bind(g.t.store);
    g.t.store.acceptRequests = () => Promise.reject(new Error("SQLITE_FULL: database or disk is full"));
    const failed = await g.send("pull_request", merge, { delivery: "d-1" });
    expect(failed.status).toBe(500);
    expect(failed.body).not.toContain("SQLITE");
    expect(JSON.parse(failed.body).error).toMatch(/redeliver/);
    g.t.store.acceptRequests = accept;
    expect((await g.send("pull_request", merge, { delivery: "d-1" })).status).toBe(200);
    await g.settle();
    expect(await g.deploysOf("donations")).toHaveLength(1);
  });

  test("a closed but unmerged PR, or a merge into another branch, deploys nothing", async () => {
    await g.send("pull_request", mergedPullRequest({ mergeSha: MERGE_SHA, merged: false }));
    await g.send("pull_request", mergedPullRequest({ mergeSha: MERGE_SHA, base: "release-1" }));
    await g.settle();
    expect(await g.deploysOf("donations")).toHaveLength(0);
    expect(g.github.calls).toHaveLength(0);
  });

  test("a merge the policies refuse (staging locked) is not deployed, and the PR says why", async () => {
    const locked = await g.t.command("lock donations staging for 1h load test", ADMIN_TOKEN);
    expect(locked.outcome).toBe("done");
    await g.send("pull_request", mergedPullRequest({ number: 42, mergeSha: MERGE_SHA }));
    await g.settle();
    expect(await g.deploysOf("donations")).toHaveLength(0);
    const comments = g.github.writes().filter((c) => c.path === `/repos/${REPO}/issues/42/comments`);
    expect(comments).toHaveLength(1);
    expect(String(comments[0]!.body!.body)).toMatch(/^👎 This merge was \*\*not deployed\*\* to donations\/staging \(`locked`\): donations\/staging is locked by api:sandbox-admin/);
  });

  test("a newer merge supersedes an older automatic deploy still queued; its Deployment ends in error", async () => {
    const first = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const second = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const third = "cccccccccccccccccccccccccccccccccccccccc";
    await g.send("pull_request", mergedPullRequest({ number: 1, mergeSha: first }));
    await g.send("pull_request", mergedPullRequest({ number: 2, mergeSha: second }));
    await g.send("pull_request", mergedPullRequest({ number: 3, mergeSha: third }));
    await g.settle();
    const deploys = await g.deploysOf("donations", "staging");
    const bySha = new Map(deploys.map((d) => [d.sha, d]));
    expect(bySha.get(first)!.state).toBe("running");
    expect(bySha.get(second)).toMatchObject({ state: "cancelled", error: expect.stringContaining("superseded") });
    expect(bySha.get(third)!.state).toBe("queued");
    const superseded = bySha.get(second)!;
    const statuses = g.github.writes().filter((c) => c.path === `/repos/${REPO}/deployments/${superseded.githubDeploymentId}/statuses`);
    expect(statuses.map((c) => c.body!.state)).toEqual(["queued", "error"]);
    expect(String(statuses[1]!.body!.description)).toMatch(/^Superseded: /);
  });
});
