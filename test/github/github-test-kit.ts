import { createLogger } from "../../src/app/logger.js";
import { createGitHubIntegration, type GitHubIntegration } from "../../src/adapters/github/create-github-integration.js";
import type { Deploy } from "../../src/core/model/deploy.js";
import { throwawayPrivateKey } from "../kit/rsa-key.js";
import { startTestApp, type TestApp, type TestAppOptions } from "../kit/test-app.js";
import { FakeGitHubApi, type RecordedCall } from "./fake-github-api.js";
import { sendWebhook, WEBHOOK_SECRET, type SendOptions } from "./webhook-fixtures.js";


export interface GitHubTestApp {
  readonly t: TestApp;
  readonly github: FakeGitHubApi;
  readonly integration: GitHubIntegration;
  send(event: string, payload: unknown, options?: SendOptions): Promise<{ status: number; body: string; delivery: string }>;
  /** Wait until every deploy event so far reached every notifier (the GitHub calls are made). */
  settle(): Promise<void>;
  deploysOf(service: string, env?: string): Promise<Deploy[]>;
  close(): Promise<void>;
}

/**
 * The real server with the GitHub surface and integration on a fake GitHub Enterprise API
 * (GHE_HOST-style base URL), Octokit throttling off and retries fast, so tests run quickly.
 */
export async function startGitHubTestApp(options: TestAppOptions & { github?: FakeGitHubApi; throttle?: boolean } = {}): Promise<GitHubTestApp> {
  const github = options.github ?? (await new FakeGitHubApi().start());
  const integration = await createGitHubIntegration(
    { appId: "1", privateKey: throwawayPrivateKey(), webhookSecret: WEBHOOK_SECRET, baseUrl: github.baseUrl },
    { logger: createLogger({ level: process.env.LOG_LEVEL ?? "silent" }), throttle: options.throttle ?? false, retryBaseMs: 1, commentEditIntervalMs: 0 },
  );
  const t = await startTestApp({ ...options, surfaces: [integration.surface, ...(options.surfaces ?? [])], sourceControl: integration.sourceControl, identity: integration.identity });
  return {
    t,
    github,
    integration,
    send: (event, payload, sendOptions) => sendWebhook(t.url, event, payload, sendOptions),
    // A change set is compared beside the reports and then shows the deploy again: wait for both.
    settle: async () => {
      await t.app.changeSets.idle();
      await t.app.notifications.idle();
    },
    deploysOf: (service, env) => t.store.listDeploys({ service, ...(env ? { env } : {}) }),
    async close() {
      await t.close();
      if (!options.github) await github.close();
    },
  };
}

export const describeCall = (c: RecordedCall): string => `${c.method} ${c.path}`;
