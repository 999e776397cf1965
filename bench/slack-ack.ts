/**
 * Time from a signed Slack slash command to its HTTP ack (Slack allows 3 s), for Whistlestop
 * running as its own process (`whistlestop start`: SQLite file, Slack over HTTP; the CodePipeline
 * emulator and a fake Slack Web API in processes of their own), against a floor: a bare Bolt app that only
 * acks behind the same receiver and signature check. Five rounds of each phase, each starting on
 * a quiet machine (Whistlestop has worked through what it acknowledged), the floor measured just
 * before Whistlestop; a ratio is the median of the five rounds' ratios.
 * Loopback only; about two minutes.
 *
 *   node bin/run-ts.js bench/slack-ack.ts [requests-per-phase]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { slackSignature } from "../src/adapters/slack/verify-slack-signature.js";
import { loadConfigOrThrow } from "../src/config/load-config.js";
import { startEmulatorProcess } from "./lib/processes.js";
import { openBacklog } from "./slack-ack-backlog.js";
import { ms, pairedSummary, ratio, runConcurrently, summarize, table, type LatencySummary, type PairedSummary, type Row } from "./lib/stats.js";
import { freePort, ROOT, spawnChild, startTsChild, waitHealthy, type Child } from "./slack-ack-processes.js";

const SIGNING_SECRET = "bench-signing-secret-0123456789abcdef";
const CONFIG = join(ROOT, "examples/whistlestop.yml");
const CONCURRENCY = [5, 50] as const;
const SLACK_ACK_LIMIT_MS = 3000;
/** Mapped in examples/whistlestop.yml, plus one nobody mapped (refused). */
const USERS = ["U024BE7LH", "U0ALEXSRE", "U0JORDANP", "U024BE7LH", "U0ALEXSRE", "U0JORDANP", "U0BENCHNO"];
const LOCKED = ["events", "call-tool"];
const WARMUP = 100;
/** How long the bench waits for Whistlestop to work through the commands it acknowledged. */
const BACKLOG_TIMEOUT_MS = 120_000;

export interface SlackAckPhase extends PairedSummary {
  readonly concurrency: number;
}

export interface SlackAckBenchResult {
  readonly requestsPerPhase: number;
  readonly phases: readonly SlackAckPhase[];
  /** What the fake Slack received while Whistlestop worked through the commands after acking them. */
  readonly slackCalls: Readonly<Record<string, number>>;
  /** Commands sent to Whistlestop (all acknowledged unless `errors`). */
  readonly commandsSent: number;
  /** Of those, worked through (audited) by the time the last one of the last round was acknowledged. */
  readonly workedByLastAck: number;
  /** From the last ack until every command was worked through; undefined if not within two minutes. */
  readonly backlogDrainedMs?: number;
  /** Non-200 acks (should be none). */
  readonly errors: number;
}

interface Target {
  readonly url: string;
  readonly responseUrl: string;
}

/** A signed /deploy form body: mostly staging deploys across every service (some locked, most queued), some prod, some unmapped users. */
function deployRequest(i: number, services: readonly string[], responseUrl: string): { body: string; headers: Record<string, string> } {
  const service = services[i % services.length]!;
  const user = USERS[i % USERS.length]!;
  const sha = randomBytes(20).toString("hex");
  const text = i % 10 === 9 ? `${service} prod` : `${service} staging ${sha}`;
  const body = new URLSearchParams({
    team_id: "T0BENCH",
    channel_id: "C0BENCH",
    user_id: user,
    user_name: user.toLowerCase(),
    command: "/deploy",
    text,
    response_url: `${responseUrl}/r${i}`,
    trigger_id: `${i}.${randomBytes(6).toString("hex")}`,
  }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": slackSignature(SIGNING_SECRET, timestamp, body) },
  };
}

async function post(target: Target, request: { body: string; headers: Record<string, string> }): Promise<number> {
  const response = await fetch(`${target.url}/slack/events`, { method: "POST", headers: request.headers, body: request.body });
  await response.arrayBuffer();
  return response.status;
}

async function load(target: Target, total: number, concurrency: number, services: readonly string[], offset: number): Promise<{ summary: LatencySummary; errors: number }> {
  let errors = 0;
  // Bodies are signed just before sending (the 5-minute window), outside the timed part.
  const { latencies, wallMs } = await runConcurrentlyPrepared(total, concurrency, (i) => deployRequest(offset + i, services, target.responseUrl), async (request) => {
    if ((await post(target, request)) !== 200) errors++;
  });
  return { summary: summarize(latencies, wallMs), errors };
}

async function runConcurrentlyPrepared<T>(total: number, concurrency: number, prepare: (i: number) => T, send: (prepared: T) => Promise<void>) {
  const prepared = Array.from({ length: total }, (_, i) => prepare(i));
  return runConcurrently(total, concurrency, (i) => send(prepared[i]!));
}

export interface SlackAckBenchOptions {
  readonly requestsPerPhase?: number;
  /** Rounds of every phase; each figure is the median round's, each ratio the median of the rounds' ratios. Default 5. */
  readonly rounds?: number;
  readonly log?: (line: string) => void;
  /** Extra node flags for the server process, e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"]. */
  readonly serverNodeArgs?: readonly string[];
}

export async function runSlackAckBench(options: SlackAckBenchOptions = {}): Promise<SlackAckBenchResult> {
  const total = options.requestsPerPhase ?? 2000;
  const rounds = options.rounds ?? 5;
  const log = options.log ?? ((line: string) => console.error(line));
  const config = await loadConfigOrThrow(CONFIG);
  const services = Object.keys(config.services);
  const dir = mkdtempSync(join(tmpdir(), "whistlestop-slack-bench-"));
  const emulator = await startEmulatorProcess(CONFIG, 500);
  const children: Child[] = [];
  try {
    const fakeSlack = await startTsChild("bench/slack-ack-fake-slack.ts", {});
    children.push(fakeSlack);
    const port = await freePort();
    const server = spawnChild([...(options.serverNodeArgs ?? []), "bin/whistlestop.js", "start"], {
      WHISTLESTOP_CONFIG: CONFIG,
      WHISTLESTOP_DB: join(dir, "whistlestop.db"),
      WHISTLESTOP_DATA_DIR: dir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      // The example config declares the API client "sandbox"; every token name must be declared.
      WHISTLESTOP_API_TOKENS: `sandbox:${randomBytes(16).toString("hex")}`,
      SLACK_BOT_TOKEN: "xoxb-bench-token",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: `${fakeSlack.url}/api/`,
      AWS_ENDPOINT_URL_CODEPIPELINE: emulator.url,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "bench",
      AWS_SECRET_ACCESS_KEY: "bench",
      AWS_EC2_METADATA_DISABLED: "true",
    });
    children.push(server);
    const whistlestop: Target = { url: `http://127.0.0.1:${port}`, responseUrl: `${fakeSlack.url}/respond` };
    await waitHealthy(`${whistlestop.url}/healthz`, server);
    const floorChild = await startTsChild("bench/slack-ack-floor.ts", { SLACK_SIGNING_SECRET: SIGNING_SECRET });
    children.push(floorChild);
    const floor: Target = { url: floorChild.url, responseUrl: `${fakeSlack.url}/respond` };

    // Some services are locked by octocat, so others' deploys to them are refused.
    for (const service of LOCKED) {
      const body = new URLSearchParams({ user_id: "U024BE7LH", user_name: "octocat", channel_id: "C0BENCH", command: "/lock", text: `${service} staging for 2h bench`, response_url: `${fakeSlack.url}/respond/lock`, trigger_id: `lock.${service}` }).toString();
      const timestamp = String(Math.floor(Date.now() / 1000));
      await post(whistlestop, { body, headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": slackSignature(SIGNING_SECRET, timestamp, body) } });
    }
    // Warm both up outside the measurement: JIT, and the 50 keep-alive connections the busiest
    // phase uses (opening them is the client's cost, and Slack keeps its connections open too).
    await load(whistlestop, WARMUP, Math.max(...CONCURRENCY), services, 1_000_000);
    await load(floor, WARMUP, Math.max(...CONCURRENCY), services, 1_000_000);

    // Each phase starts on a quiet machine: Whistlestop has worked through every command it
    // acknowledged before (its work after the acks is part of its own figures, not the floor's).
    // The floor goes first, then Whistlestop; five rounds, and each ratio is the median of the rounds'.
    const backlog = openBacklog(join(dir, "whistlestop.db"));
    let sent = LOCKED.length + WARMUP;
    let errors = 0;
    const measured = CONCURRENCY.map(() => ({ whistlestop: [] as LatencySummary[], floor: [] as LatencySummary[] }));
    for (let round = 0; round < rounds; round++) {
      for (const [index, concurrency] of CONCURRENCY.entries()) {
        if ((await backlog.drained(sent, BACKLOG_TIMEOUT_MS)) === undefined) throw new Error(`Whistlestop did not work through ${sent} commands within ${BACKLOG_TIMEOUT_MS / 1000} s`);
        const offset = (round * CONCURRENCY.length + index) * total;
        log(`slack ack round ${round + 1}/${rounds}: ${total} signed /deploy commands at ${concurrency} concurrent, floor then Whistlestop…`);
        const floorRun = await load(floor, total, concurrency, services, offset);
        const ours = await load(whistlestop, total, concurrency, services, offset);
        errors += floorRun.errors + ours.errors;
        sent += total;
        measured[index]!.floor.push(floorRun.summary);
        measured[index]!.whistlestop.push(ours.summary);
        log(`  p99 ${ours.summary.p99.toFixed(1)} ms (floor ${floorRun.summary.p99.toFixed(1)}), ${ours.summary.perSecond.toFixed(0)}/s (floor ${floorRun.summary.perSecond.toFixed(0)})`);
      }
    }
    const phases: SlackAckPhase[] = CONCURRENCY.map((concurrency, index) => ({ concurrency, ...pairedSummary(measured[index]!.whistlestop, measured[index]!.floor) }));
    const commandsSent = sent;
    const workedByLastAck = backlog.done();
    const slackCalls = (await (await fetch(`${fakeSlack.url}/_counts`, { method: "POST" })).json()) as Record<string, number>;
    delete slackCalls._counts;
    log("waiting for Whistlestop to work through the acknowledged commands…");
    const backlogDrainedMs = await backlog.drained(commandsSent, BACKLOG_TIMEOUT_MS);
    backlog.close();
    return { requestsPerPhase: total, phases, slackCalls, errors, commandsSent, workedByLastAck, ...(backlogDrainedMs !== undefined ? { backlogDrainedMs } : {}) };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function slackAckRows(result: SlackAckBenchResult): Row[] {
  return result.phases.flatMap((phase) => [
    { metric: `slack ack p50 @${phase.concurrency}`, value: ms(phase.whistlestop.p50), floor: ms(phase.floor.p50), ratio: ratio(phase.whistlestop.p50, phase.floor.p50) },
    {
      metric: `slack ack p99 @${phase.concurrency}`,
      value: ms(phase.whistlestop.p99),
      floor: ms(phase.floor.p99),
      ratio: ratio(phase.whistlestop.p99, phase.floor.p99),
      target: `< ${SLACK_ACK_LIMIT_MS} ms`,
      met: phase.whistlestop.p99 < SLACK_ACK_LIMIT_MS,
    },
    { metric: `slack acks/s @${phase.concurrency}`, value: phase.whistlestop.perSecond.toFixed(0), floor: phase.floor.perSecond.toFixed(0), ratio: ratio(phase.whistlestop.perSecond, phase.floor.perSecond) },
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const requests = Number(process.argv[2] ?? 2000);
  const profileDir = process.env.SLACK_BENCH_CPU_PROFILE_DIR;
  // Extra node flags for the server, space-separated (e.g. "--require ./trace.cjs").
  const extraArgs = (process.env.SLACK_BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const serverNodeArgs = [...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), ...extraArgs];
  const result = await runSlackAckBench({ requestsPerPhase: requests, ...(serverNodeArgs.length ? { serverNodeArgs } : {}) });
  console.log(table(slackAckRows(result)));
  console.log(`\nslack calls made after the acks: ${JSON.stringify(result.slackCalls)}; non-200 acks: ${result.errors}`);
  const drained = result.backlogDrainedMs === undefined ? `not all within ${BACKLOG_TIMEOUT_MS / 1000} s` : `all within ${(result.backlogDrainedMs / 1000).toFixed(1)} s after it`;
  console.log(`commands worked through after their ack: ${result.workedByLastAck} of ${result.commandsSent} by the last ack, ${drained}`);
}
