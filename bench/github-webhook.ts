/**
 * GitHub webhook → StartPipelineExecution latency: signed merge webhooks (payloads from
 * @octokit/webhooks-examples) sent to Whistlestop running as its own process — GitHub on a fake
 * Enterprise API (GHE_HOST, GHE_PROTOCOL=http) in this load generator, CodePipeline on the
 * emulator in a third process, which timestamps each StartPipelineExecution. Sent one at a time
 * and 20 at a time.
 *
 * Floor: a bare Probot app (own process, same middleware) whose handler makes one HTTP call to a
 * sink in that third process. Five rounds, Whistlestop and the floor back to back in each; a
 * ratio is the median of the rounds' ratios, a figure the median round's.
 *
 *   node bin/run-ts.js bench/github-webhook.ts
 */
import { sign } from "@octokit/webhooks-methods";
import { pathToFileURL } from "node:url";
import { mergedPullRequest } from "../test/github/webhook-fixtures.js";
import { medianSummary, ms, pairedSummary, ratio, runConcurrently, summarize, table, times, type LatencySummary, type PairedSummary } from "./lib/stats.js";
import { Arrivals, epochMs, ORG, prepareWorld, processCpuMs, SECRET, serviceName, startFloor, startWhistlestop, type ArrivalsProcess } from "./github-webhook-setup.js";

export interface WebhookLatency extends LatencySummary {
  /** Webhooks not answered 200. */
  readonly errors: number;
  /** CPU time the receiving process spent per webhook while they were sent (Linux only). */
  readonly cpuMsPerWebhook?: number;
}

/** One phase: the median round's figures, and the median of the rounds' ratios (each pair back to back). */
export interface WebhookPhase {
  readonly whistlestop: WebhookLatency;
  readonly floor: WebhookLatency;
  readonly ratios: PairedSummary["ratios"];
}

export interface GithubWebhookBenchResult {
  readonly sequential: WebhookPhase;
  readonly concurrent: WebhookPhase;
  readonly concurrency: number;
}

export interface GithubWebhookBenchOptions {
  /** Webhooks sent one at a time, per round; default 100. */
  readonly sequential?: number;
  /** Webhooks sent `concurrency` at a time, per round; default 400. */
  readonly concurrent?: number;
  readonly concurrency?: number;
  readonly warmup?: number;
  /** Rounds of both phases; each figure is the median round's. Default 5. */
  readonly rounds?: number;
}

interface Job {
  readonly sha: string;
  readonly body: string;
  readonly signature: string;
  readonly delivery: string;
}

let round = 0;

/** Bodies and signatures are made before the clock starts: the client's work is not measured. */
async function prepareJobs(count: number, firstService: number): Promise<Job[]> {
  round += 1;
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const sha = (round * 1_000_000 + i).toString(16).padStart(40, "0");
      const payload = mergedPullRequest({ number: i + 1, mergeSha: sha, repo: `${ORG}/${serviceName(firstService + i)}` });
      const body = JSON.stringify(payload);
      return { sha, body, signature: await sign(SECRET, body), delivery: `bench-${round}-${i}` };
    }),
  );
}

async function measure(baseUrl: string, jobs: readonly Job[], concurrency: number, arrivals: Arrivals, pid?: number): Promise<WebhookLatency> {
  const latencies: number[] = [];
  let errors = 0;
  const cpuBefore = processCpuMs(pid);
  const { wallMs } = await runConcurrently(jobs.length, concurrency, async (i) => {
    const job = jobs[i]!;
    const sentAt = epochMs();
    const arrived = arrivals.when(job.sha);
    const response = await fetch(`${baseUrl}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": job.delivery, "x-hub-signature-256": job.signature },
      body: job.body,
    });
    await response.text();
    if (response.status !== 200) errors += 1;
    latencies.push((await arrived) - sentAt);
  });
  const cpuAfter = processCpuMs(pid);
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? { cpuMsPerWebhook: (cpuAfter - cpuBefore) / jobs.length } : {};
  return { ...summarize(latencies, wallMs), errors, ...cpu };
}

/** Waits until every execution finished and the process used under 5% of a core for half a second (at most 60 s). */
async function waitIdle(pid: number | undefined, emulator: ArrivalsProcess): Promise<void> {
  const deadline = performance.now() + 60_000;
  while ((await emulator.running()) > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  for (;;) {
    const before = processCpuMs(pid);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = processCpuMs(pid);
    if (before === undefined || after === undefined || after - before <= 25 || performance.now() > deadline) return;
  }
}

function medianLatency(runs: readonly WebhookLatency[]): WebhookLatency {
  const cpu = runs.map((r) => r.cpuMsPerWebhook).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  const median = cpu.length ? { cpuMsPerWebhook: cpu[Math.floor((cpu.length - 1) / 2)]! } : {};
  return { ...medianSummary(runs), errors: runs.reduce((sum, r) => sum + r.errors, 0), ...median };
}

export async function runGithubWebhookBench(options: GithubWebhookBenchOptions = {}): Promise<GithubWebhookBenchResult> {
  const sequential = options.sequential ?? 100;
  const concurrent = options.concurrent ?? 400;
  const concurrency = options.concurrency ?? 20;
  const warmup = options.warmup ?? 5;
  const rounds = options.rounds ?? 5;
  const arrivals = new Arrivals();
  const world = await prepareWorld(warmup + sequential + concurrent, arrivals);
  const server = await startWhistlestop(world);
  const floor = await startFloor(world).catch(async (error: unknown) => {
    await server.stop("SIGKILL");
    throw error;
  });
  try {
    // Each round merges into the same services again: every deploy of the round before has
    // finished by then (waitIdle), so no merge queues behind another.
    await measure(server.url, await prepareJobs(warmup, sequential + concurrent), 1, arrivals);
    await measure(floor.url, await prepareJobs(warmup, 0), 1, arrivals);
    // Rounds alternate Whistlestop and the floor, so a slow moment of the machine hits both; each
    // figure is the median round's.
    const runs = { ws: { sequential: [] as WebhookLatency[], concurrent: [] as WebhookLatency[] }, floor: { sequential: [] as WebhookLatency[], concurrent: [] as WebhookLatency[] } };
    // Each of Whistlestop's phases starts once it is idle again: the deploys of the last phase run
    // and are reported after their starts, which is its own work, not the next phase's.
    const idle = () => waitIdle(server.child.pid, world.emulator);
    for (let round = 0; round < rounds; round++) {
      await idle();
      runs.ws.sequential.push(await measure(server.url, await prepareJobs(sequential, 0), 1, arrivals, server.child.pid));
      runs.floor.sequential.push(await measure(floor.url, await prepareJobs(sequential, 0), 1, arrivals, floor.child.pid));
      await idle();
      runs.ws.concurrent.push(await measure(server.url, await prepareJobs(concurrent, sequential), concurrency, arrivals, server.child.pid));
      runs.floor.concurrent.push(await measure(floor.url, await prepareJobs(concurrent, 0), concurrency, arrivals, floor.child.pid));
    }
    const phase = (ws: WebhookLatency[], fl: WebhookLatency[]): WebhookPhase => ({ whistlestop: medianLatency(ws), floor: medianLatency(fl), ratios: pairedSummary(ws, fl).ratios });
    return { sequential: phase(runs.ws.sequential, runs.floor.sequential), concurrent: phase(runs.ws.concurrent, runs.floor.concurrent), concurrency };
  } finally {
    // The server still has GitHub reports queued behind Octokit's write throttle; they are not measured.
    // A profiled server is stopped gracefully so it can write its profile.
    await server.stop(process.env.GITHUB_BENCH_SERVER_NODE_OPTIONS ? "SIGTERM" : "SIGKILL");
    floor.child.kill("SIGTERM");
    await world.close();
  }
}

export function githubWebhookTable(result: GithubWebhookBenchResult): string {
  const rows = (label: string, { whistlestop: w, floor: f, ratios }: WebhookPhase) => [
    { metric: `webhook → StartPipelineExecution p50 (${label})`, value: ms(w.p50), floor: ms(f.p50), ratio: times(ratios.p50) },
    { metric: `webhook → StartPipelineExecution p99 (${label})`, value: ms(w.p99), floor: ms(f.p99), ratio: times(ratios.p99) },
    { metric: `merges per second (${label})`, value: w.perSecond.toFixed(1), floor: f.perSecond.toFixed(1) },
    ...(w.cpuMsPerWebhook !== undefined && f.cpuMsPerWebhook !== undefined
      ? [{ metric: `server CPU per merge (${label})`, value: ms(w.cpuMsPerWebhook), floor: ms(f.cpuMsPerWebhook), ratio: ratio(w.cpuMsPerWebhook, f.cpuMsPerWebhook) }]
      : []),
  ];
  return table([
    ...rows(`1 at a time, n=${result.sequential.whistlestop.count}`, result.sequential),
    ...rows(`${result.concurrency} concurrent, n=${result.concurrent.whistlestop.count}`, result.concurrent),
  ]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runGithubWebhookBench();
  console.log("GitHub merge webhook → StartPipelineExecution (floor: bare Probot app making one HTTP call)\n");
  console.log(githubWebhookTable(result));
  const errors = result.sequential.whistlestop.errors + result.concurrent.whistlestop.errors;
  if (errors) console.log(`\n${errors} webhooks were not answered 200`);
}
