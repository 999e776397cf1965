/**
 * AWS calls of alarm-verified deploys: five deploys run their pipelines on the emulator (real SDK
 * clients, the tracker's own backoff), then verify for 10 minutes of a clock the bench moves in
 * 5-second steps, each deploy looked at every step. Counts every call the emulator served:
 * CodePipeline's must stay within 2 per stage + 2, CloudWatch's within 1 per 30 s of verification.
 */
import { pathToFileURL } from "node:url";
import { alarmsFromConfig } from "../src/emulator/cloudwatch-emulator.js";
import { pipelinesFromConfig } from "../src/emulator/pipelines-from-config.js";
import { startEmulator } from "../src/emulator/start-emulator.js";
import { exampleConfigText, loadTestConfig, startTestApp } from "../test/kit/test-app.js";
import { waitFor } from "../test/kit/wait-for.js";
import { table, type Row } from "./lib/stats.js";

const SERVICES = ["donations", "events", "call-tool", "voter-protection", "email-signup"];
const STAGES = 4;
const VERIFY_SECONDS = 600;
const STEP_MS = 5_000;
const SHA = "0123456789abcdef0123456789abcdef01234567";

export interface VerifyAlarmsFigures {
  readonly deploys: number;
  readonly pipelineCallsPerDeploy: number;
  readonly describeAlarmsPerDeploy: number;
  readonly seconds: number;
}

export async function runVerifyAlarmsBench(): Promise<VerifyAlarmsFigures> {
  const started = Date.now();
  const config = loadTestConfig(exampleConfigText().replace("  staging: {}", `  staging:\n    verify: { alarms: [campaign-5xx-rate], for: ${VERIFY_SECONDS / 60}m, on_alarm: rollback }`));
  const emulator = await startEmulator({ pipelines: pipelinesFromConfig(config), alarms: alarmsFromConfig(config), stepMs: 200 });
  let now = Date.now();
  // Production's first poll interval; the bench's clock moves only for the verification.
  const app = await startTestApp({ config, emulator, verifyAlarms: true, clock: { now: () => new Date(now) }, pollMs: 2_000 });
  try {
    const ids: string[] = [];
    for (const service of SERVICES) ids.push((await app.command(`deploy ${service} staging ${SHA}`)).deploy!.id);
    for (const id of ids) {
      await waitFor(`${id} to verify`, async () => ((await app.store.getDeploy(id))?.state === "verifying" ? true : undefined), 60_000, 50);
    }
    for (let at = 0; at <= VERIFY_SECONDS * 1000; at += STEP_MS) {
      now += STEP_MS;
      await Promise.all(ids.map((id) => app.app.orchestrator.reconcile(id)));
    }
    for (const id of ids) await waitFor(`${id} to succeed`, async () => ((await app.store.getDeploy(id))?.state === "succeeded" ? true : undefined), 60_000, 50);
    const calls = emulator.emulator.stats().calls;
    const describeAlarms = calls.DescribeAlarms ?? 0;
    const pipelineCalls = Object.entries(calls).reduce((sum, [operation, n]) => (operation === "DescribeAlarms" ? sum : sum + n), 0);
    return {
      deploys: ids.length,
      pipelineCallsPerDeploy: pipelineCalls / ids.length,
      describeAlarmsPerDeploy: describeAlarms / ids.length,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await app.close();
    await emulator.close();
  }
}

export function verifyAlarmsRows(f: VerifyAlarmsFigures): Row[] {
  const pipelineBudget = 2 * STAGES + 2;
  const alarmBudget = VERIFY_SECONDS / 30;
  const total = f.pipelineCallsPerDeploy + f.describeAlarmsPerDeploy;
  return [
    { metric: `verified deploys: ${f.deploys} × ${VERIFY_SECONDS / 60} min of alarm verification`, value: `${f.seconds.toFixed(1)} s` },
    {
      metric: "AWS calls per verified deploy",
      value: total.toFixed(2),
      target: `≤ ${pipelineBudget + alarmBudget} (2 per stage + 2, + 1 per 30 s verified)`,
      met: f.pipelineCallsPerDeploy <= pipelineBudget && f.describeAlarmsPerDeploy <= alarmBudget,
    },
    { metric: "DescribeAlarms calls per 10 min verified", value: f.describeAlarmsPerDeploy.toFixed(2), target: `≤ ${alarmBudget} (1 per 30 s)`, met: f.describeAlarmsPerDeploy <= alarmBudget },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(table(verifyAlarmsRows(await runVerifyAlarmsBench())));
}
