import { sign } from "@octokit/webhooks-methods";
import { Writable } from "node:stream";
import { createGitHubIntegration } from "../../src/adapters/github/create-github-integration.js";
import { readGitHubSettings } from "../../src/adapters/github/github-settings.js";
import { verifyWebhookSignature } from "../../src/adapters/github/verify-webhook-signature.js";
import { createLogger } from "../../src/app/logger.js";
import { throwawayPrivateKey } from "../kit/rsa-key.js";

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
  test("off without any setting; some but not all is a problem naming what is missing", () => {
    expect(readGitHubSettings({})).toEqual({ kind: "off" });
    expect(readGitHubSettings({ APP_ID: "12" })).toEqual({
      kind: "invalid",
      problems: [expect.stringMatching(/^GitHub is half configured: APP_ID is set but PRIVATE_KEY \(or PRIVATE_KEY_PATH\) and WEBHOOK_SECRET are missing/)],
    });
    expect(readGitHubSettings({ WEBHOOK_SECRET: "s", PRIVATE_KEY: KEY })).toEqual({ kind: "invalid", problems: [expect.stringContaining("but APP_ID is missing")] });
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

  test("unusable values are problems saying what to fix, all of them at once, never echoing the key", () => {
    const problemsOf = (env: NodeJS.ProcessEnv, readFile?: (path: string) => string) => {
      const result = readGitHubSettings(env, readFile);
      return result.kind === "invalid" ? result.problems : [];
    };
    expect(problemsOf({ APP_ID: "my-app", WEBHOOK_SECRET: "s", PRIVATE_KEY: KEY })).toEqual([expect.stringMatching(/^APP_ID must be the GitHub App's numeric id/)]);
    expect(problemsOf({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY: "not a key" })).toEqual([expect.stringMatching(/^PRIVATE_KEY is not a readable PEM private key/)]);
    expect(problemsOf({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY: "not a key" }).join()).not.toContain("not a key");
    const enoent = () => {
      throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
    };
    expect(problemsOf({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY_PATH: "/nope.pem" }, enoent)).toEqual([expect.stringContaining("PRIVATE_KEY_PATH (/nope.pem) cannot be read (ENOENT)")]);
    expect(problemsOf({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY: KEY, PRIVATE_KEY_PATH: "/keys/app.pem" })).toEqual(["PRIVATE_KEY and PRIVATE_KEY_PATH are both set: keep one of them."]);
    expect(problemsOf({ APP_ID: "x", PRIVATE_KEY: KEY, GHE_HOST: "h", GHE_PROTOCOL: "ftp" })).toEqual([
      expect.stringContaining("WEBHOOK_SECRET is missing"),
      expect.stringContaining("APP_ID must be"),
      expect.stringContaining("GHE_PROTOCOL must be https or http"),
    ]);
  });
});

describe("createGitHubIntegration", () => {
  test("returns SourceControl, Identity and the surface, and logs no key", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const read = readGitHubSettings({ APP_ID: "5", PRIVATE_KEY: KEY, WEBHOOK_SECRET: "s", GHE_HOST: "ghe.example", GHE_PROTOCOL: "https" });
    if (read.kind !== "on") throw new Error("expected settings");
    const github = await createGitHubIntegration(read.settings, { logger: createLogger({ level: "debug", destination }) });
    expect(github).toMatchObject({ baseUrl: "https://ghe.example/api/v3" });
    expect(typeof github.surface).toBe("function");
    expect(lines.join("")).not.toContain("PRIVATE KEY");
  });
});
