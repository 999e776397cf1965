import { isAbsolute, resolve } from "node:path";
import { ApiClient } from "./api-client.js";
import { DEFAULT_TIMING, sleepFor, type CliIo } from "./cli-io.js";
import { resolveClientSettings } from "./client-settings.js";
import { ExitCode } from "./exit-codes.js";
import { parseCliArgs, type CliFlags } from "./parse-cli-args.js";
import { runAudit } from "./run-audit.js";
import { setSandboxAlarm } from "./sandbox-alarm.js";
import { runClientCommand, runStatus, type ClientContext } from "./run-client-command.js";
import { USAGE_TEXT } from "./usage-text.js";

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The `whistlestop` command: `args` are the words after the program name. Resolves with the exit
 * code; `start`, `sandbox` and `emulator` resolve once their server listens and leave it running.
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCliArgs(args);
  if (!parsed.ok) {
    io.stderr.write(`${parsed.message}\n`);
    return ExitCode.usageOrConnection;
  }
  const { invocation, flags } = parsed;
  switch (invocation.kind) {
    case "usage":
      (flags.help ? io.stdout : io.stderr).write(USAGE_TEXT);
      return flags.help ? ExitCode.ok : ExitCode.usageOrConnection;
    case "start":
    case "sandbox":
      return startServer(invocation.kind, io);
    case "emulator":
      return startEmulator(io);
    case "sandbox-alarm":
      return setSandboxAlarm(invocation.alarm, invocation.state, io);
    case "config-check":
      return checkConfigFile(invocation.file, io);
    case "audit": {
      const ctx = await clientContext(flags, io);
      if (typeof ctx === "number") return ctx;
      return runAudit(invocation.request, { io, api: ctx.api, json: flags.json, signal: ctx.signal });
    }
    case "migrate":
    case "backup":
    case "sessions": {
      const { runStoreCommand } = await import("../app/store-commands.js");
      return runStoreCommand(invocation, io);
    }
    case "status":
    case "command": {
      const ctx = await clientContext(flags, io);
      if (typeof ctx === "number") return ctx;
      return invocation.kind === "status" ? runStatus(invocation.deployId, ctx) : runClientCommand(invocation.verb, invocation.text, ctx);
    }
  }
}

async function clientContext(flags: CliFlags, io: CliIo): Promise<ClientContext | number> {
  const settings = await resolveClientSettings(flags, io.env, io.cwd);
  if (!settings.ok) {
    io.stderr.write(`${settings.message}\n`);
    return ExitCode.usageOrConnection;
  }
  const timing = { ...DEFAULT_TIMING, ...io.timing };
  const api = new ApiClient(settings.settings, { fetch: io.fetch ?? globalThis.fetch, requestTimeoutMs: timing.requestTimeoutMs });
  return {
    io,
    api,
    flags,
    timing,
    now: io.now ?? (() => new Date()),
    sleep: io.sleep ?? sleepFor,
    signal: io.interruptSignal?.() ?? new AbortController().signal,
  };
}

async function checkConfigFile(file: string | undefined, io: CliIo): Promise<number> {
  const typed = file ?? (io.env.WHISTLESTOP_CONFIG?.trim() || "./whistlestop.yml");
  // Messages name the file as typed; it is read relative to the CLI's working directory.
  const path = isAbsolute(typed) || io.cwd === process.cwd() ? typed : resolve(io.cwd, typed);
  const { checkConfig } = await import("../config/check-config.js");
  const { exitCode, output } = await checkConfig(path);
  (exitCode === 0 ? io.stdout : io.stderr).write(`${output}\n`);
  return exitCode;
}

async function startServer(mode: "start" | "sandbox", io: CliIo): Promise<number> {
  try {
    const { startServerFromEnv } = await import("../app/start-server.js");
    await startServerFromEnv(mode, io.env);
    return ExitCode.ok;
  } catch (error) {
    io.stderr.write(`whistlestop ${mode}: ${errorMessage(error)}\n`);
    return 1;
  }
}

async function startEmulator(io: CliIo): Promise<number> {
  try {
    const { startEmulatorFromEnv } = await import("../emulator/emulator-main.js");
    // PIPELINE_EVENTS_TOKEN_FILE works here as it does for the server the emulator pushes to.
    const { resolveSecretFiles } = await import("../app/settings/secret-files.js");
    const secrets = resolveSecretFiles({ ...io.env });
    if (secrets.problems.length > 0) {
      io.stderr.write(`whistlestop emulator: ${secrets.problems.join("\n  ")}\n`);
      return 1;
    }
    const running = await startEmulatorFromEnv(secrets.env);
    io.stdout.write(`CodePipeline emulator on ${running.url}\nexport AWS_ENDPOINT_URL_CODEPIPELINE=${running.url}\n`);
    return ExitCode.ok;
  } catch (error) {
    // The emulator's own messages already say they come from the emulator.
    io.stderr.write(`${errorMessage(error)}\n`);
    return 1;
  }
}

/** Ctrl-C stops following a deploy (it goes on); a second Ctrl-C exits at once. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  return controller.signal;
}

/** Entry point for bin/whistlestop.js: `processArgv` is process.argv. */
export async function main(processArgv: readonly string[]): Promise<void> {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    interruptSignal,
  };
  try {
    process.exitCode = await runCli(processArgv.slice(2), io);
  } catch (error) {
    process.stderr.write(`whistlestop: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = ExitCode.usageOrConnection;
  }
}
