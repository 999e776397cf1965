import { existsSync } from "node:fs";
import { join } from "node:path";
import { createGitHubIntegration } from "../adapters/github/create-github-integration.js";
import { dashboardSurface } from "../adapters/dashboard/dashboard-surface.js";
import type { SignInMode } from "../adapters/dashboard/sign-in.js";
import { slackSurface } from "../adapters/slack/slack-surface.js";
import { offlineIdentity } from "../adapters/source-control/offline-source-control.js";
import { openStore } from "../adapters/store/open-store.js";
import { DEFAULT_CONFIG_PATH, loadConfigOrThrow } from "../config/load-config.js";
import type { WhistlestopConfig } from "../core/model/config.js";
import type { Store } from "../core/ports/store.js";
import { composeApp } from "./compose.js";
import { createLogger, type Logger } from "./logger.js";
import { productionBackend } from "./production-backend.js";
import { projectRoot, whistlestopVersion } from "./project-root.js";
import { sandboxBackend } from "./sandbox-backend.js";
import type { ServerBackend } from "./server-backend.js";
import { settingsFromEnv, type ServerMode, type Settings } from "./settings/settings-from-env.js";
import { undeclaredClientProblems } from "./settings/declared-clients.js";
import { StartupError } from "./settings/startup-error.js";

const EXAMPLE_CONFIG = join(projectRoot(), "examples", "whistlestop.yml");

/**
 * `whistlestop start` and `whistlestop sandbox` (`npm start`). The mode is what was typed, never
 * guessed from the environment. Every setting is checked before the store is opened or anything
 * listens. Resolves once the server listens; stops on SIGTERM/SIGINT.
 */
export async function startServerFromEnv(mode: ServerMode, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const read = settingsFromEnv(env, mode);
  if (!read.ok) throw new StartupError(read.problems);
  const { settings } = read;
  // The sandbox talks to a person at a terminal: keep the banner readable unless asked otherwise.
  const logger = createLogger({ level: settings.logLevel ?? (mode === "sandbox" ? "warn" : "info") });
  const path = configPathFor(settings);
  const config = await loadConfigOrThrow(path);
  const undeclared = undeclaredClientProblems(config, settings.apiTokens, path);
  if (undeclared.length > 0) throw new StartupError(undeclared);
  const backend = mode === "sandbox" ? await sandboxBackend(settings, config, path) : productionBackend(settings, config, logger);
  try {
    await serve({ settings, backend, config, configPath: path, logger });
  } catch (error) {
    // The emulator would keep the process alive after a failed start.
    await backend.close();
    throw error;
  }
}

/** What start-up has checked and built before the store is opened. */
interface Checked {
  readonly settings: Settings;
  readonly backend: ServerBackend;
  readonly config: WhistlestopConfig;
  readonly configPath: string;
  readonly logger: Logger;
}

async function serve(checked: Checked): Promise<void> {
  const store = await openStore({ ...checked.settings.store, release: whistlestopVersion(), logger: { warn: (message) => checked.logger.warn(message) } });
  try {
    await listen(checked, store);
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function listen({ settings, backend, config, configPath, logger }: Checked, store: Store): Promise<void> {
  // GitHub refs and permissions serve every surface, not only the GitHub one.
  const github = settings.github ? await createGitHubIntegration(settings.github, { logger, throttle: settings.githubThrottle }) : undefined;
  if (github) logger.info({ api: settings.github!.baseUrl, appId: settings.github!.appId }, "GitHub surface is on at POST /api/github/webhooks");
  if (settings.slack && !settings.slack.teamIds?.length) {
    logger[settings.mode === "start" ? "warn" : "info"](
      { surface: "slack" },
      "SLACK_TEAM_ID is not set: Slack requests from any workspace that has the signing secret or app token are accepted. Set it to your workspace id(s).",
    );
  }
  const app = await composeApp({
    config,
    store,
    pipeline: backend.pipeline,
    alarms: backend.alarms,
    sourceControl: github?.sourceControl ?? backend.sourceControl,
    identity: github?.identity ?? offlineIdentity,
    apiTokens: backend.apiTokens,
    ...(settings.pipelineEventsToken ? { pipelineEventsToken: settings.pipelineEventsToken } : {}),
    port: settings.port,
    host: settings.host,
    logger,
    // The dashboard first: it claims the OAuth callback only for a sign-in this browser started, and leaves the rest to the Slack link.
    surfaces: [dashboardSurface({ signIn: dashboardSignIn(settings, config), ...(settings.oauth ? { publicUrl: settings.oauth.publicUrl, githubUrl: settings.oauth.webUrl } : {}) }), ...(settings.slack ? [slackSurface({ settings: settings.slack, ...(settings.oauth ? { linking: settings.oauth } : {}) })] : []), ...(github ? [github.surface] : [])],
    // Stable across restarts: a server restarted after a crash takes its running deploys back at
    // once instead of waiting for their leases.
    replicaId: settings.replicaId,
    ...(settings.leaseMs !== undefined ? { leaseMs: settings.leaseMs } : {}),
    ...(settings.sweepIntervalMs !== undefined ? { sweepIntervalMs: settings.sweepIntervalMs } : {}),
  });
  const url = app.url.replace("0.0.0.0", "127.0.0.1");
  logger.info({ url, dashboard: `${settings.oauth?.publicUrl ?? url}/`, config: configPath, replica: app.replicaId }, "whistlestop is listening");
  await backend.announce(url);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests and reports");
    await app.stop();
    await store.close();
    await backend.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

/**
 * How dashboard visitors sign in: the sandbox lets its visitor in as `sandbox` (its own API client
 * where the configuration declares it); `whistlestop start` uses the GitHub App's OAuth client.
 */
function dashboardSignIn(settings: Settings, config: WhistlestopConfig): SignInMode {
  if (settings.mode === "sandbox") return { kind: "sandbox", ...(Object.hasOwn(config.apiClients, "sandbox") ? { apiClient: "sandbox" } : {}) };
  return settings.oauth ? { kind: "github", ...settings.oauth } : { kind: "off" };
}

/** WHISTLESTOP_CONFIG, else ./whistlestop.yml; the sandbox falls back to the example so it runs anywhere. */
function configPathFor(settings: Settings): string {
  if (settings.configPath) return settings.configPath;
  return settings.mode === "sandbox" && !existsSync(DEFAULT_CONFIG_PATH) ? EXAMPLE_CONFIG : DEFAULT_CONFIG_PATH;
}
