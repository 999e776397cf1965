import { sign } from "@octokit/webhooks-methods";
import { Writable } from "node:stream";
import { githubFromEnv } from "../../src/adapters/github/github-from-env.js";
import { GitHubSettingsError, readGitHubSettings } from "../../src/adapters/github/github-settings.js";
import { verifyWebhookSignature } from "../../src/adapters/github/verify-webhook-signature.js";
import { createLogger } from "../../src/app/logger.js";
import { throwawayPrivateKey } from "./github-test-kit.js";

const KEY = throwawayPrivateKey();

describe("verifyWebhookSignature", () => {
  const body = JSON.stringify({ action: "closed", number: 1 });

  test("accepts GitHub's own signature (as @octokit/webhooks-methods makes it)", async () => {
    expect(verifyWebhookSignature("s3cret", body, await sign("s3cret", body))).toBe(true);
    expect(verifyWebhookSignature("s3cret", Buffer.from(body), await sign("s3cret", body))).toBe(true);
  });

  test("refuses another secret, a changed body, a missing or malformed signature, and the old sha1 header", async () => {
    const good = await sign("s3cret", body);
    expect(verifyWebhookSignature("other", body, good)).toBe(false);
    expect(verifyWebhookSignature("s3cret", `${body} `, good)).toBe(false);
    expect(verifyWebhookSignature("s3cret", body, undefined)).toBe(false);
    expect(verifyWebhookSignature("s3cret", body, "sha256=zz")).toBe(false);
    expect(verifyWebhookSignature("s3cret", body, good.replace("sha256=", "sha1="))).toBe(false);
    expect(verifyWebhookSignature("", body, await sign("x", body))).toBe(false);
  });
});

describe("readGitHubSettings", () => {
  test("off without any setting, naming what to set; partial when some are there", () => {
    expect(readGitHubSettings({})).toEqual({ kind: "off", missing: ["APP_ID", "PRIVATE_KEY or PRIVATE_KEY_PATH", "WEBHOOK_SECRET"], partial: false });
    expect(readGitHubSettings({ APP_ID: "12" })).toEqual({ kind: "off", missing: ["PRIVATE_KEY or PRIVATE_KEY_PATH", "WEBHOOK_SECRET"], partial: true });
  });

  test("on with github.com by default; GHE_HOST and GHE_PROTOCOL select an Enterprise Server", () => {
    const env = { APP_ID: "12", PRIVATE_KEY: KEY, WEBHOOK_SECRET: "s" };
    expect(readGitHubSettings(env)).toEqual({ kind: "on", settings: { appId: "12", privateKey: KEY.trim(), webhookSecret: "s", baseUrl: "https://api.github.com" } });
    const ghe = readGitHubSettings({ ...env, GHE_HOST: "github.example.org" });
    expect(ghe.kind === "on" && ghe.settings.baseUrl).toBe("https://github.example.org/api/v3");
    const http = readGitHubSettings({ ...env, GHE_HOST: "127.0.0.1:8080", GHE_PROTOCOL: "http" });
    expect(http.kind === "on" && http.settings.baseUrl).toBe("http://127.0.0.1:8080/api/v3");
  });

  test("PRIVATE_KEY may be \\n-escaped or base64; PRIVATE_KEY_PATH is read", () => {
    const escaped = readGitHubSettings({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY: KEY.replace(/\n/g, "\\n") });
    expect(escaped.kind === "on" && escaped.settings.privateKey.trim()).toBe(KEY.trim());
    const base64 = readGitHubSettings({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY: Buffer.from(KEY).toString("base64") });
    expect(base64.kind === "on" && base64.settings.privateKey).toBe(KEY);
    const fromFile = readGitHubSettings({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY_PATH: "/keys/app.pem" }, (path) => (path === "/keys/app.pem" ? KEY : ""));
    expect(fromFile.kind === "on" && fromFile.settings.privateKey).toBe(KEY);
  });

  test("unusable values stop start-up with what to fix, never echoing the key", () => {
    expect(() => readGitHubSettings({ APP_ID: "my-app", WEBHOOK_SECRET: "s", PRIVATE_KEY: KEY })).toThrow(/APP_ID must be the GitHub App's numeric id/);
    expect(() => readGitHubSettings({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY: "not a key" })).toThrow(GitHubSettingsError);
    expect(() => readGitHubSettings({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY: "not a key" })).not.toThrow(/not a key/);
    const missingFile = () =>
      readGitHubSettings({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY_PATH: "/nope.pem" }, () => {
        throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
      });
    expect(missingFile).toThrow("PRIVATE_KEY_PATH (/nope.pem) cannot be read (ENOENT)");
    expect(() => readGitHubSettings({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY: KEY, GHE_HOST: "h", GHE_PROTOCOL: "ftp" })).toThrow(/GHE_PROTOCOL/);
  });
});

describe("githubFromEnv", () => {
  function collectingLogger() {
    const lines: Array<{ level: number; msg: string }> = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    return { lines, logger: createLogger({ level: "info", destination }) };
  }

  test("without the settings the surface is off, with one log line that says how to turn it on", async () => {
    const { lines, logger } = collectingLogger();
    expect(await githubFromEnv({}, logger)).toBeUndefined();
    expect(lines).toEqual([expect.objectContaining({ level: 30, msg: "GitHub surface is off: set APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET to turn it on (see docs/github.md)" })]);
  });

  test("half-configured is a warning", async () => {
    const { lines, logger } = collectingLogger();
    expect(await githubFromEnv({ APP_ID: "5" }, logger)).toBeUndefined();
    expect(lines[0]).toMatchObject({ level: 40, missing: ["PRIVATE_KEY or PRIVATE_KEY_PATH", "WEBHOOK_SECRET"] });
  });

  test("with the settings it returns SourceControl, Identity and the surface", async () => {
    const { lines, logger } = collectingLogger();
    const github = await githubFromEnv({ APP_ID: "5", PRIVATE_KEY: KEY, WEBHOOK_SECRET: "s", GHE_HOST: "ghe.example", GHE_PROTOCOL: "https" }, logger);
    expect(github).toMatchObject({ baseUrl: "https://ghe.example/api/v3" });
    expect(typeof github!.surface).toBe("function");
    expect(lines.at(-1)).toMatchObject({ msg: "GitHub surface is on at POST /api/github/webhooks", api: "https://ghe.example/api/v3" });
    expect(JSON.stringify(lines)).not.toContain("PRIVATE KEY");
  });
});
