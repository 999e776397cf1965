import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CodePipelineAdapter } from "../adapters/codepipeline/codepipeline-adapter.js";
import { githubFromEnv } from "../adapters/github/github-from-env.js";
import { createCodePipelineClient } from "../adapters/codepipeline/create-codepipeline-client.js";
import { pipelineConfigHints } from "../adapters/codepipeline/pipeline-config-hints.js";
import { OfflineSourceControl, offlineIdentity } from "../adapters/source-control/offline-source-control.js";
import { openStore, storeOptionsFromEnv } from "../adapters/store/open-store.js";
import { configPath, loadConfigOrThrow } from "../config/load-config.js";
import { pipelinesFromConfig } from "../emulator/pipelines-from-config.js";
import { startEmulator } from "../emulator/start-emulator.js";
import { composeApp } from "./compose.js";
import { projectRoot } from "./project-root.js";
import { parseApiTokens } from "./http-server.js";
import { createLogger } from "./logger.js";
import { surfacesFromEnv } from "./surfaces-from-env.js";

const EXAMPLE_CONFIG = join(projectRoot(), "examples", "whistlestop.yml");
const SANDBOX_TOKEN_NAME = "sandbox";

/** No GitHub, Slack or AWS settings at all: run the complete local system of SPEC §9. */
export function isSandbox(env: NodeJS.ProcessEnv): boolean {
  const external = ["APP_ID", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_ENDPOINT_URL_CODEPIPELINE"];
  return external.every((name) => !env[name]);
}

/** `whistlestop start` / `npm start`. Resolves once the server listens; stops on SIGTERM/SIGINT. */
export async function startServerFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const sandbox = isSandbox(env);
  // The sandbox talks to a person at a terminal: keep the banner readable unless asked otherwise.
  const level = env.LOG_LEVEL ?? (sandbox ? "warn" : undefined);
  const logger = createLogger({ ...(level ? { level } : {}) });
  const dataDir = resolve(env.WHISTLESTOP_DATA_DIR ?? "./data");
  const path = env.WHISTLESTOP_CONFIG ?? (existsSync(configPath(env)) || !sandbox ? configPath(env) : EXAMPLE_CONFIG);
  const config = await loadConfigOrThrow(path);

  const emulator = sandbox
    ? await startEmulator({ pipelines: pipelinesFromConfig(config), stepMs: Number(env.EMULATOR_STEP_MS ?? 2000), port: 0 })
    : undefined;
  const client = createCodePipelineClient(
    emulator
      ? { clientConfig: { endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" } } }
      : {},
  );
  const pipeline = new CodePipelineAdapter(client, { configPathForPipeline: pipelineConfigHints(config), ...(emulator ? { region: "us-east-1" } : {}) });
  const storeOptions = storeOptionsFromEnv(env);
  const store = await openStore({ ...storeOptions, logger: { warn: (message) => logger.warn(message) } });
  // One server per SQLite file (replicas share PostgreSQL): a stable id lets a server restarted
  // after a crash take its running deploys back at once instead of waiting for their leases.
  const replicaId = storeOptions.databaseUrl ? undefined : `sqlite-${hostname()}`;

  let apiTokens = parseApiTokens(env.WHISTLESTOP_API_TOKENS);
  let sandboxToken: string | undefined;
  if (sandbox && apiTokens.length === 0) {
    sandboxToken = await sandboxTokenIn(dataDir);
    apiTokens = parseApiTokens(`${SANDBOX_TOKEN_NAME}:${sandboxToken}`);
  }

  // GitHub refs and permissions serve every surface, not only the GitHub one (SPEC §4).
  const github = await githubFromEnv(env, logger);
  const app = await composeApp({
    config,
    store,
    pipeline,
    sourceControl: github?.sourceControl ?? new OfflineSourceControl({ synthesize: sandbox }),
    identity: github?.identity ?? offlineIdentity,
    apiTokens,
    ...(env.PIPELINE_EVENTS_TOKEN ? { pipelineEventsToken: env.PIPELINE_EVENTS_TOKEN } : {}),
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? (sandbox ? "127.0.0.1" : "0.0.0.0"),
    logger,
    surfaces: [...(await surfacesFromEnv(env, logger)), ...(github ? [github.surface] : [])],
    ...(replicaId ? { replicaId } : {}),
    ...leaseTuning(env),
  });

  const url = app.url.replace("0.0.0.0", "127.0.0.1");
  if (sandboxToken) {
    await writeFile(join(dataDir, "sandbox.json"), JSON.stringify({ url, token: sandboxToken }, null, 2) + "\n", { mode: 0o600 });
    process.stdout.write(sandboxBanner(url, sandboxToken, path, emulator?.url));
  } else {
    logger.info({ url, config: path, replica: app.replicaId }, "whistlestop is listening");
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests and reports");
    await app.stop();
    await store.close();
    await emulator?.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

/**
 * WHISTLESTOP_LEASE_MS and WHISTLESTOP_SWEEP_MS: how long a replica's claim on a running deploy
 * holds, and how often replicas renew and take over (default 45 s and 15 s: a dead replica's
 * deploys move within a minute). Shorter settings are for tests of the takeover.
 */
function leaseTuning(env: NodeJS.ProcessEnv): { leaseMs?: number; sweepIntervalMs?: number } {
  const positive = (name: string): number | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a whole number of milliseconds, got "${raw}".`);
    return value;
  };
  const leaseMs = positive("WHISTLESTOP_LEASE_MS");
  const sweepIntervalMs = positive("WHISTLESTOP_SWEEP_MS");
  // Renewals happen at sweeps: a lease shorter than the sweep would lapse under a live replica.
  if ((sweepIntervalMs ?? 15_000) >= (leaseMs ?? 45_000)) {
    throw new Error("WHISTLESTOP_SWEEP_MS must be shorter than WHISTLESTOP_LEASE_MS (a third of it is a good choice), or replicas take deploys from live ones.");
  }
  return { ...(leaseMs ? { leaseMs } : {}), ...(sweepIntervalMs ? { sweepIntervalMs } : {}) };
}

/** One token per sandbox, kept across restarts so the CLI keeps working. */
async function sandboxTokenIn(dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  try {
    const saved = JSON.parse(await readFile(join(dataDir, "sandbox.json"), "utf8")) as { token?: unknown };
    if (typeof saved.token === "string" && saved.token.length >= 16) return saved.token;
  } catch {
    // No sandbox yet: make one.
  }
  return `ws_${randomBytes(24).toString("hex")}`;
}

function sandboxBanner(url: string, token: string, config: string, emulatorUrl?: string): string {
  return [
    "",
    "  Whistlestop sandbox is running — no GitHub, Slack or AWS credentials needed.",
    "",
    `  server     ${url}`,
    `  config     ${config}`,
    `  pipelines  CodePipeline emulator on ${emulatorUrl ?? "?"}`,
    `  API token  ${token}   (name "${SANDBOX_TOKEN_NAME}", saved in data/sandbox.json)`,
    "",
    "  In another terminal, try:",
    "    npx whistlestop deploy donations staging",
    "    npx whistlestop deploys",
    "    npx whistlestop lock donations prod for 2h debate prep",
    "    npx whistlestop deploy donations prod          (promotes what staging runs; asks to confirm)",
    "",
    "  Or call the API:",
    `    curl -s -H "Authorization: Bearer ${token}" -H "Content-Type: application/json" \\`,
    `      -d '{"text":"deploy donations staging"}' ${url}/api/v1/commands`,
    "",
    "  Ctrl-C stops it.",
    "",
  ].join("\n");
}
