import { pathToFileURL } from "node:url";
import { configPath, loadConfigFile } from "../config/load-config.js";
import { alarmsFromConfig } from "./cloudwatch-emulator.js";
import { pipelinesFromConfig } from "./pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "./start-emulator.js";

export const DEFAULT_EMULATOR_PORT = 4599;

/**
 * `whistlestop emulator`: serve every pipeline whistlestop.yml names. Settings come from
 * WHISTLESTOP_CONFIG, EMULATOR_PORT (else PORT, else 4599), EMULATOR_HOST, EMULATOR_STEP_MS
 * (default 2000), AWS_REGION, and EMULATOR_EVENTS_URL + PIPELINE_EVENTS_TOKEN to push events.
 */
export async function startEmulatorFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<RunningEmulator> {
  const path = configPath(env);
  const loaded = await loadConfigFile(path);
  if (!loaded.ok) throw new Error(`emulator: cannot use ${path}:\n  ${loaded.problems.join("\n  ")}`);
  return startEmulator({
    pipelines: pipelinesFromConfig(loaded.config),
    alarms: alarmsFromConfig(loaded.config),
    port: numberSetting(env, "EMULATOR_PORT") ?? numberSetting(env, "PORT") ?? DEFAULT_EMULATOR_PORT,
    host: env.EMULATOR_HOST ?? "127.0.0.1",
    stepMs: numberSetting(env, "EMULATOR_STEP_MS") ?? 2000,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    ...(env.EMULATOR_EVENTS_URL ? { events: { url: env.EMULATOR_EVENTS_URL, token: env.PIPELINE_EVENTS_TOKEN } } : {}),
  });
}

function numberSetting(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`emulator: ${name} must be a non-negative number, got "${raw}"`);
  return value;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startEmulatorFromEnv().then(
    (running) => {
      process.stdout.write(`CodePipeline emulator on ${running.url}\nexport AWS_ENDPOINT_URL_CODEPIPELINE=${running.url}\nexport AWS_ENDPOINT_URL_CLOUDWATCH=${running.url}\n`);
      const stop = () => void running.close().then(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
