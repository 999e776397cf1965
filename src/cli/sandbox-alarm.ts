import { join } from "node:path";
import type { CliIo } from "./cli-io.js";
import { dataDir, readSandboxInfo, SANDBOX_FILE } from "./client-settings.js";
import { ExitCode } from "./exit-codes.js";

/**
 * `whistlestop sandbox alarm <name> ALARM|OK`: sets a CloudWatch alarm's state in the running
 * sandbox's emulator (found through data/sandbox.json), so a prod deploy that is verifying sees it
 * at its next check, and fails and rolls back on ALARM.
 */
export async function setSandboxAlarm(alarm: string, state: string, io: CliIo): Promise<number> {
  const path = join(dataDir(io.env, io.cwd), SANDBOX_FILE);
  const { emulatorUrl } = await readSandboxInfo(path);
  if (!emulatorUrl) {
    io.stderr.write(`No running sandbox found (${path} names no emulator). Start one with "npm start" (whistlestop sandbox) in this directory, then try again.\n`);
    return ExitCode.usageOrConnection;
  }
  const url = `${emulatorUrl}/_emulator/cloudwatch/alarms/${encodeURIComponent(alarm)}`;
  let response: Response;
  try {
    response = await (io.fetch ?? globalThis.fetch)(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ state }) });
  } catch (error) {
    io.stderr.write(`Could not reach the sandbox's emulator at ${emulatorUrl} (${error instanceof Error ? error.message : String(error)}). Is the sandbox still running?\n`);
    return ExitCode.usageOrConnection;
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    io.stderr.write(`The emulator refused: ${body.error ?? `HTTP ${response.status}`}\n`);
    return ExitCode.usageOrConnection;
  }
  const what = state === "ALARM" ? "a prod deploy that is verifying fails at its next check (within 30s) and, with on_alarm: rollback, rolls back" : "deploys verifying it pass again";
  io.stdout.write(`Alarm ${alarm} is ${state} in the sandbox: ${what}.\n`);
  return ExitCode.ok;
}
