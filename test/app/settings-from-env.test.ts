import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/app/logger.js";
import { resolveSecretFiles, SECRET_FILE_VARIABLES } from "../../src/app/settings/secret-files.js";
import { settingsFromEnv, type SettingsResult } from "../../src/app/settings/settings-from-env.js";
import { throwawayPrivateKey } from "../kit/rsa-key.js";
import { LogCapture } from "../http/http-test-kit.js";

const dir = mkdtempSync(join(tmpdir(), "whistlestop-settings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a secret file and returns its path. */
function secretFile(name: string, contents: string): string {
  const path = join(dir, name);
  writeFileSync(path, contents, { mode: 0o600 });
  return path;
}

const problemsOf = (result: SettingsResult): readonly string[] => (result.ok ? [] : result.problems);

describe("settings from the environment", () => {
  test("nothing set: complete settings with every surface off", () => {
    const result = settingsFromEnv({}, "start");
    expect(result).toMatchObject({ ok: true, settings: { mode: "start", apiTokens: [], port: 3000, host: "0.0.0.0", store: {} } });
    const settings = result.ok ? result.settings : undefined;
    expect(settings?.github ?? settings?.slack ?? settings?.oauth).toBeUndefined();
    expect(settingsFromEnv({}, "sandbox")).toMatchObject({ ok: true, settings: { host: "127.0.0.1" } });
  });

  test("partial GitHub, Slack and OAuth settings are listed together, each naming every missing variable", () => {
    const problems = problemsOf(settingsFromEnv({ APP_ID: "12", SLACK_BOT_TOKEN: "xoxb-1", GITHUB_CLIENT_SECRET: "s" }, "sandbox"));
    expect(problems).toEqual([
      expect.stringContaining("APP_ID is set but PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET are missing"),
      expect.stringContaining("SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode) is missing"),
      expect.stringContaining("GITHUB_CLIENT_SECRET is set but GITHUB_CLIENT_ID is missing"),
    ]);
  });

  test("complete settings are typed values; the OAuth pair is exposed as given", () => {
    const result = settingsFromEnv(
      {
        APP_ID: "12",
        PRIVATE_KEY: throwawayPrivateKey(),
        WEBHOOK_SECRET: "whsec",
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "sig",
        SLACK_TEAM_ID: "T0WHISTLE",
        GITHUB_CLIENT_ID: "Iv1.abc",
        GITHUB_CLIENT_SECRET: "oauth-secret",
        PUBLIC_URL: "https://whistlestop.example.org/",
        WHISTLESTOP_API_TOKENS: "ci:0123456789abcdef0123",
        AWS_DEFAULT_REGION: "eu-west-1",
        PORT: "8080",
      },
      "start",
    );
    expect(result).toMatchObject({
      ok: true,
      settings: {
        github: { appId: "12", webhookSecret: "whsec" },
        slack: { botToken: "xoxb-1", signingSecret: "sig", teamIds: ["T0WHISTLE"] },
        oauth: { clientId: "Iv1.abc", clientSecret: "oauth-secret", publicUrl: "https://whistlestop.example.org", webUrl: "https://github.com", apiUrl: "https://api.github.com" },
        apiTokens: [{ name: "ci", token: "0123456789abcdef0123" }],
        awsRegion: "eu-west-1",
        port: 8080,
      },
    });
  });

  test("GitHub OAuth needs PUBLIC_URL, an http(s) address", () => {
    const oauth = { GITHUB_CLIENT_ID: "Iv1.abc", GITHUB_CLIENT_SECRET: "oauth-secret" };
    expect(problemsOf(settingsFromEnv(oauth, "start"))).toEqual([expect.stringContaining("PUBLIC_URL is missing")]);
    expect(problemsOf(settingsFromEnv({ ...oauth, PUBLIC_URL: "whistlestop.example.org" }, "start"))).toEqual([expect.stringContaining("PUBLIC_URL must be an http(s) address")]);
  });

  test("the settings object logged whole shows no secret", () => {
    const secrets = ["whsec-0123456789", "xoxb-0123456789", "sig-0123456789", "xapp-0123456789", "oauth-0123456789", "api-token-0123456789", "events-0123456789", "dbpass-0123456789"];
    const result = settingsFromEnv(
      {
        APP_ID: "12",
        PRIVATE_KEY: throwawayPrivateKey(),
        WEBHOOK_SECRET: secrets[0],
        SLACK_BOT_TOKEN: secrets[1],
        SLACK_SIGNING_SECRET: secrets[2],
        SLACK_APP_TOKEN: secrets[3],
        GITHUB_CLIENT_ID: "Iv1.abc",
        GITHUB_CLIENT_SECRET: secrets[4],
        PUBLIC_URL: "https://whistlestop.example.org",
        WHISTLESTOP_API_TOKENS: `ci:${secrets[5]}`,
        PIPELINE_EVENTS_TOKEN: secrets[6],
        DATABASE_URL: `postgres://whistlestop:${secrets[7]}@db.internal/whistlestop`,
      },
      "start",
    );
    expect(result.ok).toBe(true);
    const logs = new LogCapture();
    createLogger({ level: "info", destination: logs }).info({ settings: result.ok ? result.settings : undefined }, "settings");
    expect(logs.text).toContain("Iv1.abc");
    for (const secret of secrets) expect(logs.text).not.toContain(secret);
    expect(logs.text).not.toContain("PRIVATE KEY");
  });

  test("the server's own numbers and levels are checked too, and never quote a secret", () => {
    const problems = problemsOf(
      settingsFromEnv({ PORT: "http", LOG_LEVEL: "loud" as "info" /* Probot types LOG_LEVEL narrowly */, WHISTLESTOP_LEASE_MS: "1000", WHISTLESTOP_SWEEP_MS: "5000", WHISTLESTOP_API_TOKENS: "ci:short-secret" }, "start"),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^WHISTLESTOP_API_TOKENS entry 1 \(ci\): the token must be at least 16 characters/),
      'PORT must be a port number, got "http".',
      expect.stringMatching(/^WHISTLESTOP_SWEEP_MS must be shorter than WHISTLESTOP_LEASE_MS/),
      expect.stringMatching(/^LOG_LEVEL must be one of/),
    ]);
    expect(problems.join("\n")).not.toContain("short-secret");
  });
});

describe("secrets from files", () => {
  test("every secret variable has a _FILE form; the file's contents are the value, trailing newline trimmed", () => {
    const env: NodeJS.ProcessEnv = {};
    for (const name of SECRET_FILE_VARIABLES) env[`${name}_FILE`] = secretFile(name, `value of ${name}\n`);
    const resolved = resolveSecretFiles(env);
    expect(resolved.problems).toEqual([]);
    for (const name of SECRET_FILE_VARIABLES) {
      expect(resolved.env[name]).toBe(`value of ${name}`);
      expect(resolved.env[`${name}_FILE`]).toBeUndefined();
    }
  });

  test("through settingsFromEnv, file forms give the same settings as plain values", () => {
    const result = settingsFromEnv(
      {
        SLACK_BOT_TOKEN_FILE: secretFile("bot", "xoxb-from-file\r\n"),
        SLACK_SIGNING_SECRET_FILE: secretFile("sig", "signing-from-file\n"),
        WHISTLESTOP_API_TOKENS_FILE: secretFile("tokens", "ci:0123456789abcdef0123\n"),
        PIPELINE_EVENTS_TOKEN_FILE: secretFile("events", "events-from-file"),
        DATABASE_URL_FILE: secretFile("db", "postgres://u:p@db.internal/w\n"),
      },
      "start",
    );
    expect(result).toMatchObject({
      ok: true,
      settings: {
        slack: { botToken: "xoxb-from-file", signingSecret: "signing-from-file" },
        apiTokens: [{ name: "ci", token: "0123456789abcdef0123" }],
        pipelineEventsToken: "events-from-file",
        store: { databaseUrl: "postgres://u:p@db.internal/w" },
      },
    });
  });

  test("both forms set, an unreadable file and an empty file are errors naming the variable and path, never the contents", () => {
    const path = secretFile("webhook", "super-secret-value\n");
    const problems = problemsOf(
      settingsFromEnv(
        {
          WEBHOOK_SECRET: "inline-secret",
          WEBHOOK_SECRET_FILE: path,
          SLACK_BOT_TOKEN_FILE: join(dir, "missing"),
          SLACK_SIGNING_SECRET_FILE: secretFile("empty", "\n"),
          PRIVATE_KEY_FILE: path,
        },
        "start",
      ),
    );
    expect(problems).toEqual([
      "PRIVATE_KEY_FILE is not read: the GitHub App's key file goes in PRIVATE_KEY_PATH.",
      "WEBHOOK_SECRET and WEBHOOK_SECRET_FILE are both set: keep one of them.",
      `SLACK_BOT_TOKEN_FILE names ${join(dir, "missing")}, which cannot be read (ENOENT): check the path and that the file is readable by this process.`,
      `SLACK_SIGNING_SECRET_FILE names ${join(dir, "empty")}, which is empty.`,
      // WEBHOOK_SECRET counts as set (twice, even); the rest of GitHub is what is missing.
      expect.stringContaining("WEBHOOK_SECRET is set but APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) are missing"),
    ]);
    expect(problems.join("\n")).not.toMatch(/super-secret-value|inline-secret/);
  });

  test("a secret whose file failed is not also reported as missing", () => {
    const problems = problemsOf(settingsFromEnv({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET_FILE: join(dir, "missing") }, "start"));
    expect(problems).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET_FILE names .*missing, which cannot be read \(ENOENT\)/)]);
  });
});
