import { slackSurface } from "../../src/adapters/slack/slack-surface.js";
import { WebClientSlackApi } from "../../src/adapters/slack/web-client-slack-api.js";
import { startGitHubTestApp, type GitHubTestApp } from "../github/github-test-kit.js";
import { FakeSlackApi } from "../slack/fake-slack-api.js";
import { BOT_TOKEN, SIGNING_SECRET } from "../slack/slack-requests.js";
import { openStore } from "../../src/adapters/store/open-store.js";
import type { TestApp } from "../kit/test-app.js";
import { sendRaw, type RawResponse } from "./raw-request.js";

export const PIPELINE_EVENTS_TOKEN = "pipeline-events-token-0123456789";
/**
 * The Slack signature window's clock, fixed: with the wall clock, a timestamp 301 s ahead signed
 * in one second and checked in the next was only 300 s away, so it passed the window (and got a
 * 400 for its body) where the test expected a 401.
 */
export const SLACK_NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0, 250);

/** Everything a request could have changed: the store, CodePipeline, Slack and GitHub. */
export interface Footprint {
  readonly deploys: number;
  readonly locks: number;
  readonly audit: number;
  readonly executions: number;
  readonly slackCalls: number;
  readonly githubCalls: number;
}

export interface FuzzApp {
  readonly t: TestApp;
  readonly url: string;
  readonly slack: FakeSlackApi;
  readonly github: GitHubTestApp;
  footprint(): Promise<Footprint>;
  /** GET /healthz answers 200 {"status":"ok"}. */
  expectHealthy(): Promise<void>;
  /** Stops the app (waiting for work it started after acknowledging), then says what it left behind. */
  close(): Promise<Footprint>;
}

/**
 * The real server with every surface on: the API (tokens ci and sandbox-admin), pipeline events,
 * Slack over HTTP on a fake Slack, and GitHub (Probot) on a fake GitHub API.
 */
export async function startFuzzApp(): Promise<FuzzApp> {
  const slack = await FakeSlackApi.start();
  const api = new WebClientSlackApi({ botToken: BOT_TOKEN, apiUrl: slack.apiUrl, sleep: async () => {}, retries: 0 });
  const slackFactory = slackSurface({
    settings: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl, githubUrl: "https://github.com" },
    api,
    cardUpdateIntervalMs: 20,
    now: () => SLACK_NOW_MS,
  });
  // Our own store outlives the app, so the footprint can be read after every background job stopped.
  const store = await openStore({ sqlitePath: ":memory:" });
  const github = await startGitHubTestApp({ surfaces: [slackFactory], pipelineEventsToken: PIPELINE_EVENTS_TOKEN, store });
  const { t } = github;
  const footprint = async (): Promise<Footprint> => ({
    deploys: (await store.listDeploys({ limit: 10_000 })).length,
    locks: (await store.listLocks(new Date())).length,
    audit: (await store.listAudit({ limit: 10_000 })).length,
    executions: t.emulator.emulator.stats().executions,
    slackCalls: slack.calls.length,
    githubCalls: github.github.calls.length,
  });
  return {
    t,
    url: t.url,
    slack,
    github,
    footprint,
    async expectHealthy() {
      const response: RawResponse = await sendRaw(t.url, { method: "GET", path: "/healthz" });
      expect(response).toMatchObject({ status: 200, json: { status: "ok" } });
    },
    async close() {
      await github.close();
      const after = await footprint();
      await store.close();
      await slack.close();
      return after;
    },
  };
}
