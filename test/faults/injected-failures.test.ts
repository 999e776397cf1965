import { createGitHubIntegration } from "../../src/adapters/github/create-github-integration.js";
import { slackSurface } from "../../src/adapters/slack/slack-surface.js";
import { WebClientSlackApi } from "../../src/adapters/slack/web-client-slack-api.js";
import { createLogger } from "../../src/app/logger.js";
import type { DeployState } from "../../src/core/model/deploy.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { waitFor } from "../kit/wait-for.js";
import { loadTestConfig, startTestApp, type TestApp } from "../kit/test-app.js";
import { FakeGitHubApi } from "../github/fake-github-api.js";
import { throwawayPrivateKey } from "../kit/rsa-key.js";
import { FakeSlackApi } from "../slack/fake-slack-api.js";
import { BOT_TOKEN, SIGNING_SECRET } from "../slack/slack-requests.js";
import { executionsOf, waitForReports } from "./report-checks.js";
import { seededRandom } from "../../src/emulator/seeded-random.js";
import { WEBHOOK_SECRET } from "./server-with-fakes.js";

/** 20% of calls to each dependency fail; seeded, so a run's faults can be replayed (call order permitting). */
const FAILURE_RATE = 0.2;
const SEED = 20_161_108;

interface Planned {
  readonly service: string;
  readonly sha: string;
  readonly expected: Extract<DeployState, "succeeded" | "failed">;
}

const sha = (i: number): string => (i + 10).toString(16).padStart(40, "f");
/** Ten deploys over four services, most of them queued behind another; one fails in its Deploy stage. */
const PLAN: Planned[] = [
  ["donations", "succeeded"],
  ["donations", "succeeded"],
  ["donations", "succeeded"],
  ["events", "succeeded"],
  ["events", "failed"],
  ["events", "succeeded"],
  ["call-tool", "succeeded"],
  ["call-tool", "succeeded"],
  ["static-site", "succeeded"],
  ["static-site", "succeeded"],
].map(([service, expected], i) => ({ service: service!, sha: sha(i), expected: expected as Planned["expected"] }));

/**
 * AWS throttling and 5xx, Slack 429 and GitHub 5xx are retried with backoff (docs/reliability.md, 5). The real
 * server (in this process, so retry backoffs can be short) with the real SDK client, Slack Web API
 * client and Octokit, against the emulator and fakes that fail 20% of calls: CodePipeline with
 * ThrottlingException or HTTP 500, Slack with 429 + Retry-After, GitHub with 502.
 */
describe("deploys under CodePipeline throttling and 500s, Slack 429s and GitHub 502s at 20% of calls", () => {
  let t: TestApp;
  let slack: FakeSlackApi;
  let github: FakeGitHubApi;
  const retryAfterWaits: number[] = [];

  beforeAll(async () => {
    slack = await FakeSlackApi.start();
    github = await new FakeGitHubApi().start();
    const logger = createLogger({ level: process.env.LOG_LEVEL ?? "silent" });
    const integration = await createGitHubIntegration(
      { appId: "1", privateKey: throwawayPrivateKey(), webhookSecret: WEBHOOK_SECRET, baseUrl: github.baseUrl },
      { logger, throttle: false, retryBaseMs: 1, commentEditIntervalMs: 0 },
    );
    // Retry-After is honoured through this sleep: recorded as asked, and shortened to keep the test fast.
    const sleep = async (ms: number) => {
      retryAfterWaits.push(ms);
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const settings = { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl, githubUrl: github.url };
    t = await startTestApp({
      emulator: await startEmulator({ pipelines: pipelinesFromConfig(loadTestConfig()), stepMs: 15 }),
      surfaces: [slackSurface({ settings, api: new WebClientSlackApi({ botToken: BOT_TOKEN, apiUrl: slack.apiUrl, sleep }), cardUpdateIntervalMs: 20 }), integration.surface],
      sourceControl: integration.sourceControl,
      identity: integration.identity,
      pollMs: 20,
      // Reports a dependency refused even after its retries are sent again at the next sweep.
      sweepIntervalMs: 100,
    });
  });
  afterAll(async () => {
    await t?.close();
    await t?.emulator.close();
    await slack?.close();
    await github?.close();
  });

  test("every deploy ends in the right state, with one execution, a final Slack card and a final GitHub status", async () => {
    const emulator = t.emulator.emulator;
    emulator.setChaos({ throttleRate: FAILURE_RATE / 2, errorRate: FAILURE_RATE / 2 / (1 - FAILURE_RATE / 2), seed: SEED });
    slack.failRandomly({ rate: FAILURE_RATE, random: seededRandom(SEED + 1), retryAfter: 1 });
    github.failRandomly({ rate: FAILURE_RATE, random: seededRandom(SEED + 2) });
    const failing = PLAN.find((p) => p.expected === "failed")!;
    emulator.failStage({ pipeline: `${failing.service}-staging`, stage: "Deploy", sha: failing.sha, message: "Auto Scaling group did not become healthy" });

    /** What a client does when a dependency stays down through every retry: Whistlestop says so, and the client tries again. */
    const commandRetryingOutages = async (text: string) => {
      for (let attempt = 1; ; attempt++) {
        const result = await t.command(text);
        if (result.reasonCode !== "internal_error" || attempt === 3) return result;
        expect(result.message).toMatch(/GitHub answered 502.*Try again/);
      }
    };
    const ids = new Map<string, Planned>();
    for (const planned of PLAN) {
      const result = await commandRetryingOutages(`deploy ${planned.service} staging ${planned.sha}`);
      expect({ sha: planned.sha, status: result.status, outcome: result.outcome }).toEqual({ sha: planned.sha, status: 200, outcome: expect.stringMatching(/^(started|queued)$/) });
      ids.set(result.deploy!.id, planned);
    }
    expect([...ids.values()].filter((p) => p.service === "donations")).toHaveLength(3);

    await waitFor(
      "every deploy to end",
      async () => {
        const states = await Promise.all([...ids.keys()].map(async (id) => (await t.store.getDeploy(id))?.state));
        return states.every((s) => s === "succeeded" || s === "failed") || undefined;
      },
      30_000,
    );
    const reportedState = { succeeded: "success", failed: "failure" } as const;
    await waitForReports(slack, github, [...ids].map(([id, p]) => ({ id, card: p.expected, deployment: reportedState[p.expected] })), 20_000);

    for (const [id, planned] of ids) {
      const deploy = await t.store.getDeploy(id);
      expect({ id, state: deploy!.state }).toEqual({ id, state: planned.expected });
      expect({ id, executions: executionsOf(emulator, id).length }).toEqual({ id, executions: 1 });
    }
    expect((await t.store.getDeploy([...ids].find(([, p]) => p === failing)![0]))!.error).toMatch(/Auto Scaling group did not become healthy/);

    // The faults really happened, and Slack's Retry-After was waited out each time.
    const stats = emulator.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.serverErrors).toBeGreaterThan(0);
    expect(slack.calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
    expect(retryAfterWaits.length).toBeGreaterThan(0);
    expect(new Set(retryAfterWaits)).toEqual(new Set([1000]));
    expect(github.calls.filter((c) => c.status === 502).length).toBeGreaterThan(0);
  }, 60_000);
});
