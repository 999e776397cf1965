/**
 * `npm run bench`: every benchmark, each figure beside a floor measured in the same run (this
 * 2-core machine is shared with the load generator, so only ratios to the floor are targets).
 * Prints one table and writes bench/results.md.
 */
import { writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { busyDayRows, runBusyDayBench } from "./busy-day.js";
import { runGithubWebhookBench } from "./github-webhook.js";
import { inputParsingRows, runInputParsingBench } from "./input-parsing.js";
import { ms, ratio, table, type LatencySummary, type Row } from "./lib/stats.js";
import { runSlackAckBench } from "./slack-ack.js";

const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);

/** A latency row with the target: p99 within `times` the floor's p99. */
function p99Row(metric: string, value: LatencySummary, floor: LatencySummary, times: number): Row {
  return { metric, value: ms(value.p99), floor: ms(floor.p99), ratio: ratio(value.p99, floor.p99), target: `≤ ${times}× floor`, met: value.p99 <= times * floor.p99 };
}

const rows: Row[] = [];
const started = Date.now();

if (wanted("slack")) {
  process.stderr.write("bench: Slack /deploy → ack (2,000 requests at 5 and at 50 concurrent, 3 rounds)…\n");
  const slack = await runSlackAckBench({ requestsPerPhase: 2000 });
  for (const phase of slack.phases) {
    rows.push({ metric: `Slack ack p50 @${phase.concurrency}`, value: ms(phase.whistlestop.p50), floor: ms(phase.floor.p50), ratio: ratio(phase.whistlestop.p50, phase.floor.p50) });
    rows.push(p99Row(`Slack ack p99 @${phase.concurrency}`, phase.whistlestop, phase.floor, 1.5));
    rows.push({
      metric: `Slack acks/s @${phase.concurrency}`,
      value: phase.whistlestop.perSecond.toFixed(0),
      floor: phase.floor.perSecond.toFixed(0),
      ratio: ratio(phase.whistlestop.perSecond, phase.floor.perSecond),
      target: "≥ 0.7× floor",
      met: phase.whistlestop.perSecond >= 0.7 * phase.floor.perSecond,
    });
  }
  // Acks go first; the work of a burst follows once it is over (every command is in the inbox meanwhile).
  const drained = slack.backlogDrainedMs === undefined ? "not within 2 min" : `${(slack.backlogDrainedMs / 1000).toFixed(1)} s`;
  rows.push({ metric: `Slack: last of ${slack.commandsSent} commands worked through, after the last ack`, value: drained });
}

if (wanted("github")) {
  process.stderr.write("bench: GitHub merge webhook → StartPipelineExecution (1 and 20 concurrent)…\n");
  const github = await runGithubWebhookBench();
  const w = github.whistlestop;
  const f = github.floor;
  rows.push({ metric: "webhook → start p50 @1", value: ms(w.sequential.p50), floor: ms(f.sequential.p50), ratio: ratio(w.sequential.p50, f.sequential.p50) });
  rows.push(p99Row("webhook → start p99 @1", w.sequential, f.sequential, 2));
  rows.push({ metric: `webhook → start p50 @${github.concurrency}`, value: ms(w.concurrent.p50), floor: ms(f.concurrent.p50), ratio: ratio(w.concurrent.p50, f.concurrent.p50) });
  rows.push(p99Row(`webhook → start p99 @${github.concurrency}`, w.concurrent, f.concurrent, 2));
}

if (wanted("busy-day")) {
  process.stderr.write("bench: a busy day (500 deploys, 70 services) and 1,000 deploys followed at once…\n");
  rows.push(...busyDayRows(await runBusyDayBench()));
}

if (wanted("parsing")) {
  process.stderr.write("bench: the command parser and the config loader on the worst input accepted…\n");
  rows.push(...inputParsingRows(runInputParsingBench()));
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
