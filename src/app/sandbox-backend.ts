import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createAwsAlarms } from "../adapters/cloudwatch/aws-alarms.js";
import { createAwsPipeline } from "../adapters/codepipeline/aws-pipeline.js";
import { parseApiTokens } from "../adapters/http/api-tokens.js";
import { SandboxSourceControl } from "../adapters/source-control/sandbox-source-control.js";
import type { WhistlestopConfig } from "../core/model/config.js";
import { alarmsFromConfig } from "../emulator/cloudwatch-emulator.js";
import { pipelinesFromConfig } from "../emulator/pipelines-from-config.js";
import { startEmulator } from "../emulator/start-emulator.js";
import type { ServerBackend } from "./server-backend.js";
import type { Settings } from "./settings/settings-from-env.js";
import { StartupError } from "./settings/startup-error.js";

const SANDBOX_TOKEN_NAME = "sandbox";
/** A second identity, so a deploy the sandbox's own token asks for can be approved by someone else. */
const REVIEWER_TOKEN_NAME = "reviewer";
const SANDBOX_FILE = "sandbox.json";
const REGION = "us-east-1";

/** What the sandbox keeps in its data directory across restarts (the CLI reads url and token). */
interface SandboxState {
  readonly token?: string;
  readonly reviewerToken?: string;
  /** When this sandbox first ran: the repositories' made-up histories are dated from it. */
  readonly startedAt: Date;
}

/**
 * `whistlestop sandbox`: the bundled CodePipeline emulator instead of AWS, the sandbox's own
 * repository histories where no GitHub App is configured, and an API token printed on start-up
 * unless WHISTLESTOP_API_TOKENS gives others. Slack and GitHub are used when their settings are there.
 */
export async function sandboxBackend(settings: Settings, config: WhistlestopConfig, configPath: string): Promise<ServerBackend> {
  const state = await readSandboxState(settings.dataDir, new Date());
  const token = settings.apiTokens.length === 0 ? (state.token ?? newToken()) : undefined;
  if (token && !Object.hasOwn(config.apiClients, SANDBOX_TOKEN_NAME)) {
    throw new StartupError([
      `${configPath} does not declare the API client "${SANDBOX_TOKEN_NAME}", the name of the sandbox's own token. ` +
        `Add it under api_clients (examples/whistlestop.yml shows one), or set WHISTLESTOP_API_TOKENS to tokens of clients it declares.`,
    ]);
  }
  // Only when the configuration declares the reviewer client (examples/whistlestop.yml does).
  const reviewerToken = token && Object.hasOwn(config.apiClients, REVIEWER_TOKEN_NAME) ? (state.reviewerToken ?? newToken()) : undefined;
  const emulator = await startEmulator({ pipelines: pipelinesFromConfig(config), alarms: alarmsFromConfig(config), stepMs: settings.emulatorStepMs, port: 0 });
  const aws = { endpoint: emulator.url, stsEndpoint: emulator.url, defaultRegion: REGION, credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" } };
  return {
    // The emulator answers STS and CloudWatch too, so roles, regions and alarms work as they would on AWS.
    pipeline: createAwsPipeline(config, aws),
    alarms: createAwsAlarms(config, aws),
    sourceControl: new SandboxSourceControl({ startedAt: state.startedAt, now: () => new Date() }),
    apiTokens: token ? parseApiTokens([`${SANDBOX_TOKEN_NAME}:${token}`, ...(reviewerToken ? [`${REVIEWER_TOKEN_NAME}:${reviewerToken}`] : [])].join(",")) : settings.apiTokens,
    async announce(url) {
      await writeFile(
        join(settings.dataDir, SANDBOX_FILE),
        JSON.stringify({ url, emulatorUrl: emulator.url, ...(token ? { token } : {}), ...(reviewerToken ? { reviewerToken } : {}), startedAt: state.startedAt.toISOString() }, null, 2) + "\n",
        { mode: 0o600 },
      );
      process.stdout.write(sandboxBanner({ url, token, reviewerToken, configPath, emulatorUrl: emulator.url, settings }));
    },
    close: () => emulator.close(),
  };
}

const newToken = (): string => `ws_${randomBytes(24).toString("hex")}`;

async function readSandboxState(dataDir: string, now: Date): Promise<SandboxState> {
  await mkdir(dataDir, { recursive: true });
  let saved: { token?: unknown; reviewerToken?: unknown; startedAt?: unknown } = {};
  try {
    saved = JSON.parse(await readFile(join(dataDir, SANDBOX_FILE), "utf8")) as typeof saved;
  } catch {
    // No sandbox yet (or a damaged file): start a new one.
  }
  const startedAt = typeof saved.startedAt === "string" ? new Date(saved.startedAt) : undefined;
  return {
    ...(typeof saved.token === "string" && saved.token.length >= 16 ? { token: saved.token } : {}),
    ...(typeof saved.reviewerToken === "string" && saved.reviewerToken.length >= 16 ? { reviewerToken: saved.reviewerToken } : {}),
    startedAt: startedAt && !Number.isNaN(startedAt.getTime()) && startedAt <= now ? startedAt : now,
  };
}

interface BannerFacts {
  readonly url: string;
  readonly token: string | undefined;
  readonly reviewerToken: string | undefined;
  readonly configPath: string;
  readonly emulatorUrl: string;
  readonly settings: Settings;
}

function sandboxBanner({ url, token, reviewerToken, configPath, emulatorUrl, settings }: BannerFacts): string {
  const slack = settings.slack ? (settings.slack.appToken ? "on (Socket Mode)" : "on (HTTP at /slack/events)") : "off";
  const shown = token ?? `from WHISTLESTOP_API_TOKENS (${settings.apiTokens.map((t) => t.name).join(", ")})`;
  const auth = token ? `-H "Authorization: Bearer ${token}"` : `-H "Authorization: Bearer <token>"`;
  return [
    "",
    "  Whistlestop is running in sandbox mode — nothing here touches AWS.",
    "",
    `  server     ${url}`,
    `  dashboard  ${url}/   (open it in a browser: you are signed in as "api:sandbox", the API client below)`,
    `  config     ${configPath}`,
    `  pipelines  CodePipeline emulator on ${emulatorUrl}`,
    `  git        ${settings.github ? "GitHub App (refs resolved on GitHub)" : "the sandbox's own history: main, feature/faster-checkout, v1.0.0, v1.1.0"}`,
    `  slack      ${slack}`,
    `  API token  ${shown}${token ? `   (API client "${SANDBOX_TOKEN_NAME}" in api_clients, saved in data/sandbox.json)` : ""}`,
    ...(reviewerToken ? [`  reviewer   ${reviewerToken}   (API client "${REVIEWER_TOKEN_NAME}": approves what the token above asks for)`] : []),
    "",
    "  In another terminal, try:",
    "    npx whistlestop deploy donations staging",
    "    npx whistlestop deploys",
    "    npx whistlestop deploy donations staging v1.0.0",
    "    npx whistlestop lock donations prod for 2h debate prep",
    "    npx whistlestop deploy donations prod          (promotes what staging runs; asks to confirm)",
    ...(reviewerToken
      ? [
          "    npx whistlestop deploy voter-protection staging && npx whistlestop deploy voter-protection prod --yes --no-follow",
          "                                                  (prod waits for an approval; the reviewer gives it:)",
          `    WHISTLESTOP_TOKEN=${reviewerToken} npx whistlestop approve <deploy-id>`,
        ]
      : []),
    "",
    "  Or call the API:",
    `    curl -s ${auth} -H "Content-Type: application/json" \\`,
    `      -d '{"text":"deploy donations staging"}' ${url}/api/v1/commands`,
    "",
    "  Ctrl-C stops it.",
    "",
  ].join("\n");
}
