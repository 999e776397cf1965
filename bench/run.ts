/**
 * `npm run bench`: every benchmark, each figure beside a floor measured in the same run (this
 * 2-core machine is shared with the load generator, so only ratios to the floor are targets).
 * Prints one table and writes bench/results.md.
 */
import { writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { busyDayRows, runBusyDayBench } from "./busy-day.js";
import { runGithubWebhookBench } from "./github-webhook.js";
import { historyRows, runHistoryBench } from "./history.js";
import { inputParsingRows, runInputParsingBench } from "./input-parsing.js";
import { ms, table, times, type LatencySummary, type PairedSummary, type Row } from "./lib/stats.js";
import { runSlackAckBench } from "./slack-ack.js";
import { runStartUpBench, startUpRows } from "./start-up.js";
import { runVerifyAlarmsBench, verifyAlarmsRows } from "./verify-alarms.js";

const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);

/**
 * A row against the floor: the median round's figures, and the median of the rounds' ratios
 * (each round measures Whistlestop and its floor back to back), which is what the target judges.
 */
function pairedRow(metric: string, figure: (s: LatencySummary) => string, phase: Pick<PairedSummary, "whistlestop" | "floor">, ratioValue: number, target?: { text: string; met: boolean }): Row {
  return { metric, value: figure(phase.whistlestop), floor: figure(phase.floor), ratio: times(ratioValue), ...(target ? { target: target.text, met: target.met } : {}) };
}
const p50 = (s: LatencySummary) => ms(s.p50);
const p99 = (s: LatencySummary) => ms(s.p99);
const perSecond = (s: LatencySummary) => s.perSecond.toFixed(0);
const atMost = (limit: number, value: number) => ({ text: `≤ ${limit}× floor`, met: value <= limit });

const rows: Row[] = [];
const started = Date.now();

if (wanted("slack")) {
  process.stderr.write("bench: Slack /deploy → ack (2,000 requests at 5 and at 50 concurrent, 5 rounds)…\n");
  const slack = await runSlackAckBench({ requestsPerPhase: 2000 });
  for (const phase of slack.phases) {
    const at = `@${phase.concurrency}`;
    rows.push(pairedRow(`Slack ack p50 ${at}`, p50, phase, phase.ratios.p50));
    rows.push(pairedRow(`Slack ack p99 ${at}`, p99, phase, phase.ratios.p99, atMost(1.5, phase.ratios.p99)));
    rows.push(pairedRow(`Slack acks/s ${at}`, perSecond, phase, phase.ratios.perSecond, { text: "≥ 0.7× floor", met: phase.ratios.perSecond >= 0.7 }));
  }
  // Acks go first; the work of a burst follows once it is over (every command is in the inbox meanwhile).
  const drained = slack.backlogDrainedMs === undefined ? "not within 2 min" : `${(slack.backlogDrainedMs / 1000).toFixed(1)} s`;
  rows.push({ metric: `Slack: last of ${slack.commandsSent} commands worked through, after the last ack`, value: drained });
}

if (wanted("github")) {
  process.stderr.write("bench: GitHub merge webhook → StartPipelineExecution (1 and 20 concurrent)…\n");
  const github = await runGithubWebhookBench();
  for (const [phase, at] of [[github.sequential, "@1"], [github.concurrent, `@${github.concurrency}`]] as const) {
    rows.push(pairedRow(`webhook → start p50 ${at}`, p50, phase, phase.ratios.p50, atMost(2, phase.ratios.p50)));
    rows.push(pairedRow(`webhook → start p99 ${at}`, p99, phase, phase.ratios.p99, atMost(1.5, phase.ratios.p99)));
  }
}

if (wanted("busy-day")) {
  process.stderr.write("bench: a busy day (500 deploys, 70 services) and 1,000 deploys followed at once…\n");
  rows.push(...busyDayRows(await runBusyDayBench()));
}

if (wanted("verify")) {
  process.stderr.write("bench: AWS calls of alarm-verified deploys (5 deploys, 10 simulated minutes each)…\n");
  rows.push(...verifyAlarmsRows(await runVerifyAlarmsBench()));
}

if (wanted("start-up")) {
  process.stderr.write("bench: server start-up time and memory (5 starts)…\n");
  rows.push(...startUpRows(await runStartUpBench()));
}

if (wanted("parsing")) {
  process.stderr.write("bench: the command parser and the config loader on the worst input accepted…\n");
  rows.push(...inputParsingRows(runInputParsingBench()));
}

if (wanted("history")) {
  process.stderr.write("bench: history at scale (board, /dora and the decide/start path at 0 and 100,000 deploys; SQLite and PostgreSQL)…\n");
  rows.push(...historyRows(await runHistoryBench(process.env.BENCH_HISTORY_DIALECTS ? (process.env.BENCH_HISTORY_DIALECTS.split(",") as Array<"sqlite" | "postgres">) : undefined)));
}

const header = [
  `# Whistlestop benchmarks`,
  "",
  `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, load average before ${loadavg()[0]!.toFixed(2)}, ` +
    `${((Date.now() - started) / 1000).toFixed(0)} s. Server, CodePipeline emulator and load generator run as separate processes; ` +
    "floors are measured in the same run on the same machine.",
  "",
].join("\n");
const output = `${header}\n${table(rows)}\n`;
console.log(`\n${table(rows)}\n`);
const met = rows.filter((r) => r.met !== undefined);
console.log(`${met.filter((r) => r.met).length} of ${met.length} targets met.`);
if (only.size === 0) await writeFile(new URL("./results.md", import.meta.url), output);
