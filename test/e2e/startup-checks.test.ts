import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { sendSlashCommand } from "../slack/slack-requests.js";
import { callApi, EXAMPLE_CONFIG_PATH, exampleConfigWithCi, serverProcessExit, startServerProcess } from "../kit/process-helpers.js";
import { loadTestConfig } from "../kit/test-app.js";

/**
 * Fail closed at start-up, with the real `whistlestop start` and `whistlestop sandbox` processes:
 * a half-configured surface, a missing region or a bad secret file stops the process before the
 * store is opened or anything listens, naming every problem at once.
 */
describe("start-up refuses incomplete settings", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "whistlestop-startup-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const baseEnv = () => ({ WHISTLESTOP_CONFIG: EXAMPLE_CONFIG_PATH, WHISTLESTOP_DB: join(dir, "whistlestop.db"), WHISTLESTOP_DATA_DIR: join(dir, "data"), PORT: "0", LOG_LEVEL: "info" });
  /** Nothing was opened, created or announced. */
  const expectNothingStarted = (run: { stdout: string }) => {
    expect(existsSync(join(dir, "whistlestop.db"))).toBe(false);
    expect(existsSync(join(dir, "data"))).toBe(false);
    expect(run.stdout).not.toMatch(/whistlestop is listening|sandbox mode|CodePipeline emulator/);
  };

  test("start: partial GitHub, Slack and OAuth settings and bad secret files are one error naming every problem, never a secret", async () => {
    const tokens = join(dir, "tokens");
    writeFileSync(tokens, "ci:file-token-0123456789abcdef\n");
    const run = await serverProcessExit("start", {
      ...baseEnv(),
      AWS_REGION: "us-east-1",
      APP_ID: "12",
      SLACK_BOT_TOKEN: "xoxb-1",
      GITHUB_CLIENT_ID: "Iv1.abc",
      WHISTLESTOP_API_TOKENS: "ci:inline-token-0123456789abcdef",
      WHISTLESTOP_API_TOKENS_FILE: tokens,
      PIPELINE_EVENTS_TOKEN_FILE: join(dir, "no-such-file"),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^whistlestop start: cannot start, nothing was started\. Fix these 5 settings:\n/);
    for (const problem of [
      "WHISTLESTOP_API_TOKENS and WHISTLESTOP_API_TOKENS_FILE are both set: keep one of them.",
      `PIPELINE_EVENTS_TOKEN_FILE names ${join(dir, "no-such-file")}, which cannot be read (ENOENT)`,
      "APP_ID is set but PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET are missing",
      "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode) is missing",
      "GITHUB_CLIENT_ID is set but GITHUB_CLIENT_SECRET is missing",
    ]) {
      expect(run.stderr).toContain(problem);
    }
    expect(run.stderr + run.stdout).not.toMatch(/inline-token|file-token|xoxb-1/);
    expectNothingStarted(run);
  });

  test("sandbox: a signing secret without a bot token, and half of GitHub, stop it too", async () => {
    const run = await serverProcessExit("sandbox", { ...baseEnv(), SLACK_SIGNING_SECRET: "sig", WEBHOOK_SECRET: "whsec" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("whistlestop sandbox: cannot start");
    expect(run.stderr).toContain("WEBHOOK_SECRET is set but APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) are missing");
    expect(run.stderr).toContain("SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN (xoxb-…) is missing");
    expectNothingStarted(run);
  });

  test("an API token whose name api_clients does not declare stops start-up, naming it and never its secret", async () => {
    const secret = "undeclared-token-0123456789abcdef";
    const run = await serverProcessExit("start", { ...baseEnv(), AWS_REGION: "us-east-1", WHISTLESTOP_API_TOKENS: `sandbox:declared-token-0123456789,alex-sre:${secret}` });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`whistlestop start: cannot start, nothing was started: WHISTLESTOP_API_TOKENS names the API client "alex-sre", which ${EXAMPLE_CONFIG_PATH} does not declare`);
    expect(run.stderr).not.toContain(secret);
    expectNothingStarted(run);
  });

  test("start without an AWS region says what to set and that the sandbox needs none; no emulator is started", async () => {
    const run = await serverProcessExit("start", { ...baseEnv(), AWS_ENDPOINT_URL_CODEPIPELINE: "http://127.0.0.1:9" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("whistlestop start: cannot start, nothing was started: no AWS region is set");
    expect(run.stderr).toContain("set AWS_REGION (for example AWS_REGION=us-east-1) or AWS_DEFAULT_REGION");
    expect(run.stderr).toContain("run `whistlestop sandbox` (`npm start`)");
    expectNothingStarted(run);
  });
});

describe("whistlestop start with secrets from files", () => {
  let dir: string;
  let emulator: RunningEmulator;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "whistlestop-secret-files-"));
    emulator = await startEmulator({ pipelines: pipelinesFromConfig(loadTestConfig()), scheduler: "manual" });
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("uses the files' contents, says it runs in production mode with what is on, and logs no secret", async () => {
    const secrets = { apiToken: "api-token-from-file-0123456789", signing: "signing-secret-from-file", bot: "xoxb-bot-token-from-file", events: "events-token-from-file-0123" };
    const file = (name: string, contents: string) => {
      writeFileSync(join(dir, name), `${contents}\n`, { mode: 0o600 });
      return join(dir, name);
    };
    const server = await startServerProcess({
      WHISTLESTOP_CONFIG: exampleConfigWithCi(),
      WHISTLESTOP_DB: join(dir, "whistlestop.db"),
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_ENDPOINT_URL_CODEPIPELINE: emulator.url,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      WHISTLESTOP_API_TOKENS_FILE: file("api-tokens", `ci:${secrets.apiToken}`),
      PIPELINE_EVENTS_TOKEN_FILE: file("events-token", secrets.events),
      SLACK_BOT_TOKEN_FILE: file("bot-token", secrets.bot),
      SLACK_SIGNING_SECRET_FILE: file("signing-secret", secrets.signing),
      SLACK_API_URL: "http://127.0.0.1:9/api/",
    });
    try {
      expect((await callApi(`${server.url}/api/v1/commands`, secrets.apiToken, { body: { text: "windows" } })).status).toBe(200);
      expect((await callApi(`${server.url}/api/v1/commands`, "not-the-token-0123456789", { body: { text: "windows" } })).status).toBe(401);
      const slack = await sendSlashCommand(server.url, { command: "/deploy", text: "help", userId: "U024BE7LH", responseUrl: "http://127.0.0.1:9/respond" }, { secret: secrets.signing });
      expect(slack.status).toBe(200);
      const events = await fetch(`${server.url}/api/pipeline-events`, { method: "POST", headers: { "X-Whistlestop-Token": secrets.events, "Content-Type": "application/json" }, body: "{}" });
      expect(events.status).toBe(400);

      const logs = server.lines.flatMap((line) => (line.startsWith("{") ? [JSON.parse(line) as Record<string, unknown>] : []));
      expect(logs.find((entry) => entry.msg === "production mode")).toMatchObject({
        mode: "production",
        github: "off: only full shas can be deployed",
        slack: "on (HTTP)",
        slackWorkspaces: "any",
        oauth: "off",
        apiClients: 1,
        pipelineEvents: "on",
        store: "sqlite",
        regions: ["us-east-1"],
      });
      expect(logs.find((entry) => String(entry.msg).startsWith("SLACK_TEAM_ID is not set"))).toMatchObject({ level: 40 });
      expect(server.lines.join("\n")).not.toMatch(new RegExp(Object.values(secrets).join("|")));
    } finally {
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    }
  });
});
