import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import type { SettingsRead } from "../settings-read.js";

/** The GitHub App's settings, under the names Probot itself reads. */
export interface GitHubSettings {
  readonly appId: string;
  readonly privateKey: string;
  readonly webhookSecret: string;
  /** https://api.github.com, or <GHE_PROTOCOL>://<GHE_HOST>/api/v3 for GitHub Enterprise Server. */
  readonly baseUrl: string;
}

export type GitHubSettingsResult = SettingsRead<GitHubSettings>;

const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Reads APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST and GHE_PROTOCOL the way
 * Probot documents them. PRIVATE_KEY may hold the PEM with real or `\n`-escaped newlines, or the
 * PEM base64-encoded (how many platforms store multi-line secrets). Some but not all of the three
 * is a mistake, never "GitHub off": merges and comments would be dropped without a word.
 */
export function readGitHubSettings(env: NodeJS.ProcessEnv, readFile: (path: string) => string = (p) => readFileSync(p, "utf8")): GitHubSettingsResult {
  const appId = env.APP_ID?.trim();
  const secret = env.WEBHOOK_SECRET;
  const inlineKey = env.PRIVATE_KEY?.trim();
  const keyPath = env.PRIVATE_KEY_PATH?.trim();
  const parts = [
    { name: "APP_ID", set: Boolean(appId) },
    { name: "PRIVATE_KEY (or PRIVATE_KEY_PATH)", set: Boolean(inlineKey || keyPath) },
    { name: "WEBHOOK_SECRET", set: Boolean(secret) },
  ];
  const present = parts.filter((part) => part.set).map((part) => part.name);
  if (present.length === 0) return { kind: "off" };
  const problems: string[] = [];
  const missing = parts.filter((part) => !part.set).map((part) => part.name);
  if (missing.length > 0) {
    problems.push(
      `GitHub is half configured: ${listed(present)} ${present.length === 1 ? "is" : "are"} set but ${listed(missing)} ${missing.length === 1 ? "is" : "are"} missing. Set all three to turn the GitHub App on, or none to run without it (see docs/github.md).`,
    );
  }
  if (appId && !/^\d+$/.test(appId)) problems.push(`APP_ID must be the GitHub App's numeric id (its settings page shows "App ID"), got "${appId}".`);
  if (inlineKey && keyPath) problems.push("PRIVATE_KEY and PRIVATE_KEY_PATH are both set: keep one of them.");
  const privateKey = inlineKey && !keyPath ? inlinePem(inlineKey) : keyPath && !inlineKey ? pemFromFile(keyPath, readFile, problems) : undefined;
  if (privateKey !== undefined && !isPrivateKey(privateKey)) {
    problems.push(`${inlineKey ? "PRIVATE_KEY" : `PRIVATE_KEY_PATH (${keyPath})`} is not a readable PEM private key: download a new key from the GitHub App's settings page.`);
  }
  const baseUrl = apiBaseUrlOrProblem(env, problems);
  if (problems.length > 0 || !appId || !secret || privateKey === undefined || baseUrl === undefined) return { kind: "invalid", problems };
  return { kind: "on", settings: { appId, privateKey, webhookSecret: secret, baseUrl } };
}

/** Where Probot sends API calls: GHE_HOST switches to GitHub Enterprise Server's /api/v3. */
function apiBaseUrlOrProblem(env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  const host = env.GHE_HOST?.trim();
  if (!host) return "https://api.github.com";
  const protocol = env.GHE_PROTOCOL?.trim() || "https";
  if (protocol !== "https" && protocol !== "http") {
    problems.push(`GHE_PROTOCOL must be https or http, got "${protocol}".`);
    return undefined;
  }
  return `${protocol}://${host.replace(/\/+$/, "")}/api/v3`;
}

/** "A", "A and B", "A, B and C". */
function listed(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

function isPrivateKey(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}

function inlinePem(value: string): string {
  const unescaped = value.replace(/\\n/g, "\n");
  if (PEM.test(unescaped)) return unescaped;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  return PEM.test(decoded) ? decoded : unescaped;
}

function pemFromFile(path: string, readFile: (path: string) => string, problems: string[]): string | undefined {
  try {
    return readFile(path);
  } catch (error) {
    problems.push(`PRIVATE_KEY_PATH (${path}) cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}): point it at the .pem file downloaded from the GitHub App's settings page.`);
    return undefined;
  }
}
