/**
 * A busy day: hundreds of deploys across ~70 services through the real server (its own process),
 * the CodePipeline emulator (its own process) and fake Slack and GitHub APIs (in this load
 * generator), with queueing. Measures sustained deploys per second, calls per deploy to AWS,
 * Slack and GitHub, and the server's peak memory; then the memory of 1,000 deploys followed at once.
 */
import { writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { startServerProcess, type ServerProcess } from "../test/kit/process-helpers.js";
import { writeThrowawayPrivateKey } from "../test/kit/rsa-key.js";
import { waitFor } from "../test/kit/wait-for.js";
import { FakeGitHubApi } from "../test/github/fake-github-api.js";
import { FakeSlackApi } from "../test/slack/fake-slack-api.js";
import { scratchDir, startEmulatorProcess } from "./lib/processes.js";
import { currentRssMb, peakRssMb, runConcurrently, table, type Row } from "./lib/stats.js";

const TOKEN = "bench-token-0123456789abcdef";
const ORG = "bench-org";
const STAGES = ["Source", "Bake", "Deploy", "Verify"];

export interface BusyDayFigures {
  readonly deploys: number;
  readonly services: number;
  readonly seconds: number;
  readonly deploysPerSecond: number;
  readonly awsCallsPerDeploy: number;
  readonly slackCallsPerDeploy: number;
  readonly githubCallsPerDeploy: number;
  /** GitHub compare calls (what each deploy ships): the change set's whole cost, cached by (base, head). */
  readonly compareCallsPerDeploy: number;
  /** Deploys of the day whose change set lists the one PR each ships (all of them, when it works). */
  readonly changeSetsListed: number;
  readonly peakRssMb: number;
  readonly trackedDeploys: number;
  readonly rssAtTrackedMb: number;
}

function configText(services: number, envs: readonly string[]): string {
  const lines = ["timezone: America/New_York", "environments:", ...envs.map((e) => `  ${e}: {}`), "services:"];
  for (let i = 0; i < services; i++) {
    const name = serviceName(i);
    lines.push(`  ${name}:`, `    repo: ${ORG}/${name}`, "    slack_channel: C0BENCH", `    stages: [${STAGES.join(", ")}]`);
  }
  lines.push("api_clients:", `  bench: { may: [deploy, rollback, lock, unlock, cancel, check], services: ["*"], environments: [${envs.join(", ")}] }`);
  return lines.join("\n") + "\n";
}

const sha = (i: number): string => (i.toString(16) + "f".repeat(40)).slice(0, 40).padStart(40, "a");
const serviceName = (i: number): string => `svc-${String(i).padStart(3, "0")}`;
/** The release live in each service before the day starts. */
const liveSha = (service: number): string => (service.toString(16) + "e".repeat(40)).slice(0, 40);

async function api(server: ServerProcess, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${path}`, {
    method: body ? "POST" : "GET",
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function countDeploys(server: ServerProcess, states: string[]): Promise<number> {
  const body = await api(server, `/api/v1/deploys?limit=500&state=${states.join(",")}`);
  const count = (body.deploys as unknown[] | undefined)?.length ?? 0;
  if (process.env.BENCH_VERBOSE) process.stderr.write(`  ${states.join("+")}: ${count}\n`);
  return count;
}

/** How many of the day's deploys (the newest `deploys`, at most 500) show a change set listing the one PR each ships. */
async function countListedChangeSets(server: ServerProcess, deploys: number): Promise<number> {
  const body = await api(server, `/api/v1/deploys?limit=${deploys}`);
  const page = (body.deploys as Array<{ changeSet?: { status?: string; pullCount?: number } }> | undefined) ?? [];
  return page.filter((d) => d.changeSet?.status === "listed" && d.changeSet.pullCount === 1).length;
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  process.stderr.write(`busy day: waiting for ${what}\n`);
  await waitFor(what, async () => (await probe()) || undefined, timeoutMs, 250);
}

/** SIGTERM, and SIGKILL if a graceful stop takes longer than `ms` (the figures are already taken). */
async function stopWithin(server: ServerProcess, ms: number): Promise<void> {
  const timer = setTimeout(() => {
    process.stderr.write(`busy day: the server did not stop within ${ms} ms; last output:\n${server.lines.slice(-15).join("\n")}\n`);
    server.child.kill("SIGKILL");
  }, ms);
  await server.stop();
  clearTimeout(timer);
}

/** Phase 1: `deploys` deploys over `services` services (staging), queueing behind each other. */
async function busyDay(deploys: number, services: number) {
  const scratch = await scratchDir("whistlestop-busy-day-");
  const configPath = scratch.path("whistlestop.yml");
  await writeFile(configPath, configText(services, ["staging"]));
  const keyPath = writeThrowawayPrivateKey(scratch.path("app.pem"));
  const emulator = await startEmulatorProcess(configPath, 100);
  const slack = await FakeSlackApi.start();
  const github = await new FakeGitHubApi().start();
  const server = await startServerProcess({
    WHISTLESTOP_CONFIG: configPath,
    WHISTLESTOP_DB: scratch.path("whistlestop.db"),
    WHISTLESTOP_API_TOKENS: `bench:${TOKEN}`,
    AWS_ENDPOINT_URL_CODEPIPELINE: emulator.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: "bench-signing-secret",
    SLACK_API_URL: `${slack.url}/api/`,
    SLACK_BOT_ID: "B0BENCH",
    SLACK_BOT_USER_ID: "U0BENCH",
    APP_ID: "1",
    PRIVATE_KEY_PATH: keyPath,
    WEBHOOK_SECRET: "bench-webhook-secret",
    GHE_HOST: github.host,
    GHE_PROTOCOL: "http",
    // The fake GitHub has no rate limits; real GitHub's pacing (a write a second) would make the
    // bench wait for GitHub instead of measuring Whistlestop.
    GITHUB_THROTTLE: "off",
    PIPELINE_EVENTS_TOKEN: "bench-events-token-0123456789",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
  });
  // Production wiring: CodePipeline pushes state changes through EventBridge; polling is the safety net.
  await emulator.settings({ events: { url: `${server.url}/api/pipeline-events`, token: "bench-events-token-0123456789" } });
  try {
    // Every service has a release live before the day starts, so each deploy of the day has a
    // change set to list (a first deploy has nothing to compare with). Not counted below.
    process.stderr.write(`busy day: putting a release live in ${services} services\n`);
    await runConcurrently(services, 10, async (s) => {
      await api(server, "/api/v1/commands", { text: `deploy ${serviceName(s)} staging ${liveSha(s)}` });
    });
    await waitUntil(async () => (await countDeploys(server, ["queued", "running"])) === 0, 120_000, "the live releases to finish");
    await new Promise((r) => setTimeout(r, 1500));
    const before = { aws: (await emulator.stats()).totalCalls, slack: slack.calls.length, github: github.calls.length };
    for (let i = 0; i < deploys; i++) {
      const s = i % services;
      const commits = [
        { sha: `${sha(i).slice(0, 39)}1`, message: `Merge pull request #${i + 1} from ${ORG}/change-${i}`, author: "dev" },
        { sha: sha(i), message: `Release ${i}`, author: "dev" },
      ];
      github.comparisons.set(`${ORG}/${serviceName(s)}@${liveSha(s)}...${sha(i)}`, { commits });
    }

    process.stderr.write(`busy day: sending ${deploys} deploys\n`);
    const started = performance.now();
    await runConcurrently(deploys, 10, async (i) => {
      await api(server, "/api/v1/commands", { text: `deploy ${serviceName(i % services)} staging ${sha(i)}` });
    });
    await waitUntil(async () => (await countDeploys(server, ["queued", "running"])) === 0, 300_000, "every deploy to finish");
    const seconds = (performance.now() - started) / 1000;
    const aws = (await emulator.stats()).totalCalls - before.aws;
    // Reporting may trail the last state change by a moment; let it settle before counting.
    await new Promise((r) => setTimeout(r, 1500));
    const githubCalls = github.calls.slice(before.github);
    return {
      deploys,
      services,
      seconds,
      deploysPerSecond: deploys / seconds,
      awsCallsPerDeploy: aws / deploys,
      slackCallsPerDeploy: (slack.calls.length - before.slack) / deploys,
      githubCallsPerDeploy: githubCalls.length / deploys,
      compareCallsPerDeploy: githubCalls.filter((c) => /\/compare\//.test(c.path)).length / deploys,
      changeSetsListed: await countListedChangeSets(server, deploys),
      peakRssMb: await peakRssMb(server.child.pid!),
    };
  } finally {
    const step = (what: string) => process.env.BENCH_VERBOSE && process.stderr.write(`busy day: ${what}\n`);
    step("stopping the server");
    await stopWithin(server, 20_000);
    step("stopping the emulator");
    await emulator.stop();
    step("stopping fakes");
    await slack.close();
    await github.close();
    await scratch.remove();
  }
}

/** Phase 2: memory while `count` deploys run at once (long stages, so all stay followed). */
async function trackedMemory(count: number) {
  const services = Math.ceil(count / 2);
  const scratch = await scratchDir("whistlestop-tracked-");
  const configPath = scratch.path("whistlestop.yml");
  await writeFile(configPath, configText(services, ["staging", "prod"]));
  const emulator = await startEmulatorProcess(configPath, 600_000);
  const server = await startServerProcess({
    WHISTLESTOP_CONFIG: configPath,
    WHISTLESTOP_DB: scratch.path("whistlestop.db"),
    WHISTLESTOP_API_TOKENS: `bench:${TOKEN}`,
    AWS_ENDPOINT_URL_CODEPIPELINE: emulator.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
  });
  try {
    await runConcurrently(count, 20, async (i) => {
      const service = `svc-${String(Math.floor(i / 2)).padStart(3, "0")}`;
      await api(server, "/api/v1/commands", { text: `deploy ${service} ${i % 2 ? "prod" : "staging"} ${sha(i)}` });
    });
    await waitUntil(async () => (await countDeploys(server, ["running"])) >= Math.min(count, 500), 120_000, "deploys to be running");
    // Let the tracker poll every deploy a few times so its steady state is what is measured.
    await new Promise((r) => setTimeout(r, 10_000));
    return { trackedDeploys: count, rssAtTrackedMb: await currentRssMb(server.child.pid!) };
  } finally {
    await server.stop("SIGKILL");
    await emulator.stop();
    await scratch.remove();
  }
}

export async function runBusyDayBench(options = { deploys: 500, services: 70, tracked: 1000 }): Promise<BusyDayFigures> {
  const day = await busyDay(options.deploys, options.services);
  const memory = await trackedMemory(options.tracked);
  return { ...day, ...memory };
}

export function busyDayRows(f: BusyDayFigures): Row[] {
  const awsBudget = 2 * STAGES.length + 2;
  return [
    { metric: `busy day: ${f.deploys} deploys over ${f.services} services`, value: `${f.seconds.toFixed(1)} s` },
    { metric: "deploys per second sustained", value: f.deploysPerSecond.toFixed(2) },
    { metric: "AWS calls per deploy", value: f.awsCallsPerDeploy.toFixed(2), target: `≤ ${awsBudget} (2 per stage + 2)`, met: f.awsCallsPerDeploy <= awsBudget },
    { metric: "Slack calls per deploy", value: f.slackCallsPerDeploy.toFixed(2) },
    { metric: "GitHub calls per deploy", value: f.githubCallsPerDeploy.toFixed(2) },
    { metric: "of which change-set compares", value: f.compareCallsPerDeploy.toFixed(2), target: "≤ 1 per deploy", met: f.compareCallsPerDeploy <= 1 },
    { metric: "deploys whose change set lists what they ship", value: `${f.changeSetsListed} of ${f.deploys}`, target: "all", met: f.changeSetsListed === f.deploys },
    { metric: "server peak RSS during the busy day", value: `${f.peakRssMb.toFixed(0)} MB` },
    { metric: `server RSS with ${f.trackedDeploys} deploys followed`, value: `${f.rssAtTrackedMb.toFixed(0)} MB`, target: "< 250 MB", met: f.rssAtTrackedMb < 250 },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await runBusyDayBench();
  console.log(table(busyDayRows(figures)));
}
