import { hostname } from "node:os";
import { resolve } from "node:path";
import { readGitHubSettings, type GitHubSettings } from "../../adapters/github/github-settings.js";
import { ApiTokensError, parseApiTokens, type ApiToken } from "../../adapters/http/api-tokens.js";
import { slackSettingsFromEnv, type SlackSettings } from "../../adapters/slack/slack-settings.js";
import { storeOptionsFromEnv, type StoreOptions } from "../../adapters/store/open-store.js";
import { readOAuthSettings, type OAuthSettings } from "./oauth-settings.js";
import { resolveSecretFiles, type ReadTextFile } from "./secret-files.js";

/** `whistlestop start` runs against real AWS; `whistlestop sandbox` is the local system with the emulator. */
export type ServerMode = "start" | "sandbox";

/** Everything the server reads from its environment, checked and typed. No other code reads it. */
export interface Settings {
  readonly mode: ServerMode;
  /** The GitHub App; absent when none of its settings is there. */
  readonly github?: GitHubSettings;
  /** GITHUB_THROTTLE=off: Octokit's client-side pacing of writes is off. */
  readonly githubThrottle: boolean;
  readonly slack?: SlackSettings;
  readonly oauth?: OAuthSettings;
  readonly apiTokens: readonly ApiToken[];
  readonly pipelineEventsToken?: string;
  readonly store: StoreOptions;
  /** AWS_REGION, else AWS_DEFAULT_REGION (the SDK reads only the first; both are common). */
  readonly awsRegion?: string;
  readonly port: number;
  /** HOST; default every interface, or 127.0.0.1 in the sandbox. */
  readonly host: string;
  readonly logLevel?: string;
  /** WHISTLESTOP_CONFIG as given. */
  readonly configPath?: string;
  /** The sandbox's data directory (token, history start): WHISTLESTOP_DATA_DIR or ./data. */
  readonly dataDir: string;
  /** Sandbox: how long each emulated action takes. */
  readonly emulatorStepMs: number;
  readonly leaseMs?: number;
  readonly sweepIntervalMs?: number;
  /** WHISTLESTOP_REPLICA_ID, else the host name: stable across restarts, so a restarted server takes its deploys back at once. */
  readonly replicaId: string;
}

export type SettingsResult = { readonly ok: true; readonly settings: Settings } | { readonly ok: false; readonly problems: readonly string[] };

const REPLICA_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
/** Stands in for a secret whose file could not be used, so it is not reported as missing as well. */
const UNUSABLE = "(unusable file)";

/**
 * Reads the whole environment at once and returns either complete settings or every problem
 * found, across GitHub, Slack, OAuth, secret files and the server's own settings, so an operator
 * fixes them in one go. Runs before anything listens and before the store is opened.
 */
export function settingsFromEnv(rawEnv: NodeJS.ProcessEnv, mode: ServerMode, readFile?: ReadTextFile): SettingsResult {
  const secrets = resolveSecretFiles(rawEnv, readFile);
  const env: NodeJS.ProcessEnv = { ...secrets.env };
  for (const name of secrets.unusable) env[name] = UNUSABLE;
  const problems: string[] = [...secrets.problems];

  const github = readGitHubSettings(env);
  const slack = slackSettingsFromEnv(env);
  const oauth = readOAuthSettings(env);
  for (const read of [github, slack, oauth]) if (read.kind === "invalid") problems.push(...read.problems);
  const apiTokens = secrets.unusable.has("WHISTLESTOP_API_TOKENS") ? [] : apiTokensOf(env.WHISTLESTOP_API_TOKENS, problems);
  const number = numberReader(env, problems);
  const port = number("PORT", { min: 0, max: 65_535, integer: true, what: "a port number" }) ?? 3000;
  const emulatorStepMs = mode === "sandbox" ? (number("EMULATOR_STEP_MS", { min: 0, what: "a number of milliseconds" }) ?? 2000) : 2000;
  const leaseMs = number("WHISTLESTOP_LEASE_MS", { min: 1, integer: true, what: "a whole number of milliseconds" });
  const sweepIntervalMs = number("WHISTLESTOP_SWEEP_MS", { min: 1, integer: true, what: "a whole number of milliseconds" });
  // Renewals happen at sweeps: a lease shorter than the sweep would lapse under a live replica.
  if ((sweepIntervalMs ?? 15_000) >= (leaseMs ?? 45_000)) {
    problems.push("WHISTLESTOP_SWEEP_MS must be shorter than WHISTLESTOP_LEASE_MS (a third of it is a good choice), or replicas take deploys from live ones.");
  }
  const replicaId = text(env.WHISTLESTOP_REPLICA_ID) ?? hostname();
  if (!REPLICA_ID.test(replicaId)) {
    problems.push(`WHISTLESTOP_REPLICA_ID must be 1 to 100 letters, digits and . _ : - (one per server, stable across its restarts); got "${replicaId}".`);
  }
  const logLevel = text(env.LOG_LEVEL)?.toLowerCase();
  if (logLevel && !LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}; got "${env.LOG_LEVEL}".`);

  if (problems.length > 0) return { ok: false, problems };
  const awsRegion = text(env.AWS_REGION) ?? text(env.AWS_DEFAULT_REGION);
  const pipelineEventsToken = text(env.PIPELINE_EVENTS_TOKEN);
  const configPath = text(env.WHISTLESTOP_CONFIG);
  return {
    ok: true,
    settings: {
      mode,
      ...(github.kind === "on" ? { github: github.settings } : {}),
      githubThrottle: env.GITHUB_THROTTLE?.trim().toLowerCase() !== "off",
      ...(slack.kind === "on" ? { slack: slack.settings } : {}),
      ...(oauth.kind === "on" ? { oauth: oauth.settings } : {}),
      apiTokens,
      ...(pipelineEventsToken ? { pipelineEventsToken } : {}),
      store: storeOptionsFromEnv(env),
      ...(awsRegion ? { awsRegion } : {}),
      port,
      host: text(env.HOST) ?? (mode === "sandbox" ? "127.0.0.1" : "0.0.0.0"),
      ...(logLevel ? { logLevel } : {}),
      ...(configPath ? { configPath } : {}),
      dataDir: resolve(text(env.WHISTLESTOP_DATA_DIR) ?? "./data"),
      emulatorStepMs,
      ...(leaseMs !== undefined ? { leaseMs } : {}),
      ...(sweepIntervalMs !== undefined ? { sweepIntervalMs } : {}),
      replicaId,
    },
  };
}

const text = (value: string | undefined): string | undefined => (value?.trim() ? value.trim() : undefined);

function apiTokensOf(value: string | undefined, problems: string[]): ApiToken[] {
  try {
    return parseApiTokens(value);
  } catch (error) {
    if (!(error instanceof ApiTokensError)) throw error;
    problems.push(...error.problems.map((problem) => `WHISTLESTOP_API_TOKENS ${problem}`));
    return [];
  }
}

interface NumberRule {
  readonly min: number;
  readonly max?: number;
  readonly integer?: boolean;
  readonly what: string;
}

function numberReader(env: NodeJS.ProcessEnv, problems: string[]) {
  return (name: string, rule: NumberRule): number | undefined => {
    const raw = text(env[name]);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    const fits = Number.isFinite(value) && value >= rule.min && value <= (rule.max ?? Infinity) && (!rule.integer || Number.isInteger(value));
    if (fits) return value;
    problems.push(`${name} must be ${rule.what}, got "${raw}".`);
    return undefined;
  };
}
