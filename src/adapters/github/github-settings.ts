import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";

/** Probot's own settings (SPEC §8). */
export interface GitHubSettings {
  readonly appId: string;
  readonly privateKey: string;
  readonly webhookSecret: string;
  /** https://api.github.com, or <GHE_PROTOCOL>://<GHE_HOST>/api/v3 for GitHub Enterprise Server. */
  readonly baseUrl: string;
}

export type GitHubSettingsResult =
  | { readonly kind: "on"; readonly settings: GitHubSettings }
  /** `missing` names what to set; `partial` when some settings are there (likely a mistake). */
  | { readonly kind: "off"; readonly missing: readonly string[]; readonly partial: boolean };

/** A settings value that is present but unusable: start-up stops with what to fix. */
export class GitHubSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitHubSettingsError";
  }
}

const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Reads APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST and GHE_PROTOCOL the way
 * Probot documents them. PRIVATE_KEY may hold the PEM with real or `\n`-escaped newlines, or the
 * PEM base64-encoded (how many platforms store multi-line secrets).
 */
export function readGitHubSettings(env: NodeJS.ProcessEnv, readFile: (path: string) => string = (p) => readFileSync(p, "utf8")): GitHubSettingsResult {
  const appId = env.APP_ID?.trim();
  const secret = env.WEBHOOK_SECRET;
  const inlineKey = env.PRIVATE_KEY?.trim();
  const keyPath = env.PRIVATE_KEY_PATH?.trim();
  const missing = [
    ...(appId ? [] : ["APP_ID"]),
    ...(inlineKey || keyPath ? [] : ["PRIVATE_KEY or PRIVATE_KEY_PATH"]),
    ...(secret ? [] : ["WEBHOOK_SECRET"]),
  ];
  if (missing.length) return { kind: "off", missing, partial: missing.length < 3 };
  if (!/^\d+$/.test(appId!)) throw new GitHubSettingsError(`APP_ID must be the GitHub App's numeric id (its settings page shows "App ID"), got "${appId}".`);
  const privateKey = inlineKey ? inlinePem(inlineKey) : pemFromFile(keyPath!, readFile);
  try {
    createPrivateKey(privateKey);
  } catch {
    throw new GitHubSettingsError(`${inlineKey ? "PRIVATE_KEY" : `PRIVATE_KEY_PATH (${keyPath})`} is not a readable PEM private key: download a new key from the GitHub App's settings page.`);
  }
  return { kind: "on", settings: { appId: appId!, privateKey, webhookSecret: secret!, baseUrl: apiBaseUrl(env) } };
}

/** Where Probot sends API calls: GHE_HOST switches to GitHub Enterprise Server's /api/v3. */
export function apiBaseUrl(env: NodeJS.ProcessEnv): string {
  const host = env.GHE_HOST?.trim();
  if (!host) return "https://api.github.com";
  const protocol = env.GHE_PROTOCOL?.trim() || "https";
  if (protocol !== "https" && protocol !== "http") throw new GitHubSettingsError(`GHE_PROTOCOL must be https or http, got "${protocol}".`);
  return `${protocol}://${host.replace(/\/+$/, "")}/api/v3`;
}

function inlinePem(value: string): string {
  const unescaped = value.replace(/\\n/g, "\n");
  if (PEM.test(unescaped)) return unescaped;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  return PEM.test(decoded) ? decoded : unescaped;
}

function pemFromFile(path: string, readFile: (path: string) => string): string {
  try {
    return readFile(path);
  } catch (error) {
    throw new GitHubSettingsError(`PRIVATE_KEY_PATH (${path}) cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}): point it at the .pem file downloaded from the GitHub App's settings page.`);
  }
}
