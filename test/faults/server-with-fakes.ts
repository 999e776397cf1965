import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeGitHubApi } from "../github/fake-github-api.js";
import { exampleConfigWithCi } from "../kit/process-helpers.js";
import { writeThrowawayPrivateKey } from "../kit/rsa-key.js";
import { FakeSlackApi } from "../slack/fake-slack-api.js";
import { BOT_TOKEN, SIGNING_SECRET } from "../slack/slack-requests.js";

export const API_TOKEN = "faults-api-token-0123456789abcdef";
export const EVENTS_TOKEN = "faults-events-token-0123456789abcdef";
/** Signs the GitHub webhooks a test sends (sendWebhook's `secret`). */
export const WEBHOOK_SECRET = "faults-webhook-secret-0123456789abcdef";

/** Slack and GitHub on loopback, and a scratch directory for the SQLite file and the app's key. */
export interface Fakes {
  readonly slack: FakeSlackApi;
  readonly github: FakeGitHubApi;
  readonly dir: string;
  readonly keyPath: string;
  close(): Promise<void>;
}

export async function startFakes(): Promise<Fakes> {
  const dir = mkdtempSync(join(tmpdir(), "whistlestop-faults-"));
  const keyPath = writeThrowawayPrivateKey(join(dir, "app.pem"));
  const slack = await FakeSlackApi.start();
  const github = await new FakeGitHubApi().start();
  return {
    slack,
    github,
    dir,
    keyPath,
    async close() {
      await slack.close();
      await github.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ServerEnvOptions {
  readonly codepipelineUrl: string;
  /** SQLite file; or `databaseUrl` for PostgreSQL. */
  readonly db?: string;
  readonly databaseUrl?: string;
  readonly extra?: Record<string, string>;
}

/**
 * `whistlestop start` as production runs it, with Slack, GitHub (as GitHub Enterprise over http,
 * so the fakes can answer) and CodePipeline all configured, plus EventBridge-style pipeline events.
 */
export function serverEnv(fakes: Fakes, options: ServerEnvOptions): Record<string, string> {
  return {
    WHISTLESTOP_CONFIG: exampleConfigWithCi(),
    ...(options.db ? { WHISTLESTOP_DB: options.db } : {}),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    WHISTLESTOP_API_TOKENS: `ci:${API_TOKEN}`,
    PIPELINE_EVENTS_TOKEN: EVENTS_TOKEN,
    AWS_ENDPOINT_URL_CODEPIPELINE: options.codepipelineUrl,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fakes.slack.apiUrl,
    SLACK_BOT_ID: "B0FAULTS",
    SLACK_BOT_USER_ID: "U0FAULTS",
    APP_ID: "1",
    PRIVATE_KEY_PATH: fakes.keyPath,
    WEBHOOK_SECRET,
    GHE_HOST: fakes.github.host,
    GHE_PROTOCOL: "http",
    GITHUB_THROTTLE: "off",
    ...options.extra,
  };
}
