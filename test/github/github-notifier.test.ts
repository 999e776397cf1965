import { GitHubNotifier } from "../../src/adapters/github/github-notifier.js";
import type { DeploymentStatus, GitHubApi, NewDeployment } from "../../src/adapters/github/github-api.js";
import type { Deploy, DeployPatch } from "../../src/core/model/deploy.js";
import type { DeployEvent, DeployEventType } from "../../src/core/ports/notifier.js";
import { silentLogger } from "../../src/core/ports/logger.js";
import { loadTestConfig } from "../kit/test-app.js";
import { FakeTime } from "../kit/fake-time.js";
import { aDeploy } from "../kit/builders.js";

const config = loadTestConfig();

const deploy = (fields: Partial<Deploy> = {}): Deploy =>
  aDeploy({
    env: "prod",
    sha: "abcdef0123456789abcdef0123456789abcdef01",
    ref: "live in staging",
    actorLogin: "alice",
    surface: "slack",
    pipelineName: "donations-production",
    executionId: "exec-1",
    stages: [
      { name: "Source", status: "succeeded" },
      { name: "Bake", status: "running" },
    ],
    requestedAt: "2026-11-03T19:00:00Z",
    startedAt: "2026-11-03T19:00:01Z",
    ...fields,
  });

const event = (type: DeployEventType, fields: Partial<Deploy> = {}): DeployEvent => ({ type, deploy: deploy(fields), at: "2026-11-03T19:02:00Z" });

class RecordingApi implements GitHubApi {
  readonly calls: string[] = [];
  readonly failures: Array<{ match: string; error: unknown }> = [];
  private id = 100;
  private take(call: string): void {
    this.calls.push(call);
    const failure = this.failures.findIndex((f) => call.startsWith(f.match));
    if (failure >= 0) throw this.failures.splice(failure, 1)[0]!.error;
  }
  async addReaction(_repo: string, commentId: number, content: string) {
    this.take(`reaction ${commentId} ${content}`);
  }
  async createComment(_repo: string, number: number) {
    this.take(`comment #${number}`);
    return this.id++;
  }
  async updateComment(_repo: string, commentId: number, body: string) {
    this.take(`edit ${commentId} ${body.split("\n")[1]}`);
  }
  async getPullRequest(): Promise<never> {
    throw new Error("not used");
  }
  async createDeployment(repo: string, d: NewDeployment) {
    this.take(`deployment ${repo} ${d.environment} ${d.task} production=${d.productionEnvironment}`);
    return this.id++;
  }
  async createDeploymentStatus(_repo: string, id: number, status: DeploymentStatus) {
    this.take(`status ${id} ${status.state}${status.environmentUrl ? ` ${status.environmentUrl}` : ""}`);
  }
  async reviewProtectionRule() {}
}

const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

function setUp() {
  const api = new RecordingApi();
  const patches: Array<[string, DeployPatch]> = [];
  const timers = new FakeTime();
  const notifier = new GitHubNotifier({
    api,
    config,
    store: { getDeploy: async () => undefined, updateDeploy: async (id, patch) => void patches.push([id, patch]) as undefined },
    pipeline: { executionUrl: (p, e) => `https://console.example/${p}/${e}` },
    logger: silentLogger,
    timers,
    commentEditIntervalMs: 1000,
  });
  return { api, patches, timers, notifier };
}

describe("GitHubNotifier", () => {
  test("a deploy from Slack gets a production Deployment: queued → in_progress → success with the environment URL; ids are stored", async () => {
    const { api, patches, notifier } = setUp();
    await notifier.notify(event("started"));
    await notifier.notify(event("progress"));
    await notifier.notify(event("succeeded", { state: "succeeded", finishedAt: "2026-11-03T19:05:00Z" }));
    expect(api.calls).toEqual([
      "deployment whistlestop-demo/donations prod deploy production=true",
      "status 100 queued",
      "status 100 in_progress",
      "status 100 success https://donations.whistlestop-demo.org",
    ]);
    expect(patches).toEqual([["d-1", { githubDeploymentId: 100 }]]);
  });

  test("a restarted process keeps using the stored Deployment and comment", async () => {
    const { api, notifier, timers } = setUp();
    const final = notifier.notify(event("succeeded", { state: "succeeded", githubDeploymentId: 55, prNumber: 7, prCommentId: 66, githubRepo: "whistlestop-demo/donations" }));
    await timers.advance(0);
    await final;
    expect(api.calls).toEqual(["status 55 success https://donations.whistlestop-demo.org", "edit 66 ### ✅ Deploy of donations to prod succeeded"]);
  });

  test("PR comment edits are coalesced to one a second; the final one is awaited", async () => {
    const { api, timers, notifier } = setUp();
    const pr = { prNumber: 7, githubRepo: "whistlestop-demo/donations", state: "queued" as const, startedAt: undefined, executionId: undefined };
    await notifier.notify(event("queued", pr));
    await notifier.notify(event("started", { ...pr, state: "running" }));
    await notifier.notify(event("progress", { ...pr, state: "running" }));
    const final = notifier.notify(event("failed", { ...pr, state: "failed", error: "packer: timeout" }));
    const comments = () => api.calls.filter((c) => c.startsWith("comment") || c.startsWith("edit"));
    await timers.advance(999);
    expect(comments()).toEqual(["comment #7"]);
    await timers.advance(1);
    await final;
    expect(comments()).toEqual(["comment #7", "edit 101 ### ❌ Deploy of donations to prod failed"]);
  });

  test("🚀 goes on the command comment once, when the deploy starts", async () => {
    const { api, notifier } = setUp();
    const fields = { commandCommentId: 900, githubRepo: "whistlestop-demo/donations" };
    await notifier.notify(event("queued", { ...fields, state: "queued" }));
    await notifier.notify(event("started", fields));
    await notifier.notify(event("started", fields));
    expect(api.calls.filter((c) => c.startsWith("reaction"))).toEqual(["reaction 900 rocket"]);
  });

  test("GitHub down at the end → notify throws so the final state is sent again later; at the start it is only logged", async () => {
    const { api, notifier } = setUp();
    api.failures.push({ match: "deployment", error: httpError(502) });
    await expect(notifier.notify(event("started"))).resolves.toBeUndefined();
    api.failures.push({ match: "status", error: httpError(502) });
    await expect(notifier.notify(event("succeeded", { state: "succeeded" }))).rejects.toThrow(/GitHub did not take the final state of d-1/);
    await notifier.notify(event("succeeded", { state: "succeeded" }));
    expect(api.calls).toEqual([
      "deployment whistlestop-demo/donations prod deploy production=true", // 502: logged, the deploy goes on
      "deployment whistlestop-demo/donations prod deploy production=true",
      "status 100 queued", // 502: the final event fails
      "status 100 success https://donations.whistlestop-demo.org", // sent again: same Deployment
    ]);
  });

  test("a sha GitHub does not know (422) is given up on without failing the deploy's reporting", async () => {
    const { api, notifier } = setUp();
    api.failures.push({ match: "deployment", error: httpError(422) });
    await notifier.notify(event("started"));
    await expect(notifier.notify(event("succeeded", { state: "succeeded" }))).resolves.toBeUndefined();
    expect(api.calls).toEqual(["deployment whistlestop-demo/donations prod deploy production=true"]);
  });
});
