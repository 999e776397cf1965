import { openStore } from "../../src/adapters/store/open-store.js";
import type { Store } from "../../src/core/ports/store.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { loadTestConfig } from "../kit/test-app.js";
import { FakeGitHubApi } from "./fake-github-api.js";
import { startGitHubTestApp, type GitHubTestApp } from "./github-test-kit.js";
import { mergedPullRequest, REPO } from "./webhook-fixtures.js";

const MAIN = "5555555555555555555555555555555555555555";

describe("GitHub Deployments for every deploy, end to end", () => {
  let g: GitHubTestApp | undefined;
  afterEach(async () => {
    await g?.close();
    g = undefined;
  });

  test("a deploy from the HTTP API gets a Deployment (surface api) with statuses, and no PR comment", async () => {
    g = await startGitHubTestApp();
    g.github.refs.set(`${REPO}@main`, MAIN);
    const result = await g.t.command("deploy donations staging");
    expect(result).toMatchObject({ outcome: "started", deploy: { sha: MAIN } });
    await g.t.runDeploy(result.deploy!.id);
    await g.settle();
    const writes = g.github.writes();
    expect(writes.find((c) => c.path === `/repos/${REPO}/deployments`)?.body).toMatchObject({
      ref: MAIN,
      environment: "staging",
      payload: { deployId: result.deploy!.id, service: "donations", actor: "api:ci", surface: "api" },
    });
    expect(writes.filter((c) => c.path.endsWith("/statuses")).map((c) => c.body!.state)).toEqual(["queued", "in_progress", "success"]);
    expect(writes.some((c) => c.path.includes("/issues/"))).toBe(false);
  });

  test("GitHub 5xx is retried by Octokit: one Deployment, created on the second try", async () => {
    g = await startGitHubTestApp();
    g.github.fail("POST", /\/deployments$/, 502, 1);
    await g.send("pull_request", mergedPullRequest({ mergeSha: MAIN }));
    await g.settle();
    const attempts = g.github.calls.filter((c) => c.method === "POST" && c.path === `/repos/${REPO}/deployments`);
    expect(attempts).toHaveLength(2);
    const [deploy] = await g.deploysOf("donations");
    expect(deploy!.githubDeploymentId).toBeDefined();
  });

  describe("across a restart", () => {
    let store: Store;
    let emulator: RunningEmulator;
    let github: FakeGitHubApi;
    beforeEach(async () => {
      store = await openStore({ sqlitePath: ":memory:" });
      emulator = await startEmulator({ pipelines: pipelinesFromConfig(loadTestConfig()), scheduler: "manual", stepMs: 1000 });
      github = await new FakeGitHubApi().start();
    });
    afterEach(async () => {
      await g?.close();
      g = undefined;
      await store.close();
      await emulator.close();
      await github.close();
    });

    test("a restarted server finishes the same Deployment and edits the same PR comment", async () => {
      g = await startGitHubTestApp({ store, emulator, github });
      await g.send("pull_request", mergedPullRequest({ number: 42, mergeSha: MAIN }));
      await g.settle();
      const [running] = await g.deploysOf("donations");
      expect(running).toMatchObject({ state: "running", githubDeploymentId: expect.any(Number), prCommentId: expect.any(Number) });
      await g.close();

      g = await startGitHubTestApp({ store, emulator, github });
      const done = await g.t.runDeploy(running!.id);
      expect(done.state).toBe("succeeded");
      await g.settle();
      expect(github.writes().filter((c) => c.path === `/repos/${REPO}/deployments`)).toHaveLength(1);
      expect(github.writes().filter((c) => c.method === "POST" && c.path === `/repos/${REPO}/issues/42/comments`)).toHaveLength(1);
      const finalStatus = github.writes().filter((c) => c.path === `/repos/${REPO}/deployments/${running!.githubDeploymentId}/statuses`).at(-1);
      expect(finalStatus?.body?.state).toBe("success");
      const lastEdit = github.writes().filter((c) => c.method === "PATCH").at(-1);
      expect(lastEdit?.path).toBe(`/repos/${REPO}/issues/comments/${running!.prCommentId}`);
      expect(String(lastEdit?.body?.body)).toContain("succeeded");
    });
  });
});
