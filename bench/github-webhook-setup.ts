/** Pieces of the GitHub webhook benchmark: config, key, fake GitHub, and its processes. */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT, startServerProcess, type ServerProcess } from "../test/kit/process-helpers.js";
import { writeThrowawayPrivateKey } from "../test/kit/rsa-key.js";
import { FakeGitHubApi } from "../test/github/fake-github-api.js";
import { firstUrlLine, spawnChild } from "./slack-ack-processes.js";

export const ORG = "bench-org";
export const SECRET = "bench-webhook-secret";

/** Epoch milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/** Arrival times (epochMs of the receiving process) by deployed sha. */
export class Arrivals {
  private readonly seen = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();
  record(sha: string, at: number): void {
    if (this.seen.has(sha)) return;
    this.seen.set(sha, at);
    this.waiters.get(sha)?.(at);
    this.waiters.delete(sha);
  }
  /** Resolves with the arrival time of `sha`, or rejects after `timeoutMs`. */
  when(sha: string, timeoutMs = 30_000): Promise<number> {
    const at = this.seen.get(sha);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no StartPipelineExecution for ${sha} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(sha, (time) => {
        clearTimeout(timer);
        resolve(time);
      });
    });
  }
}

/** One service per repository so every merge starts at once (no queue behind an earlier one). */
export function benchConfigText(services: number): string {
  const lines = ["timezone: America/New_York", "environments:", "  staging: {}", "services:"];
  for (let i = 0; i < services; i++) {
    const name = serviceName(i);
    lines.push(`  ${name}:`, `    repo: ${ORG}/${name}`, "    on_merge: [staging]", "    stages: [Source, Bake, Deploy, Verify]");
  }
  lines.push(`admins: ["@${ORG}/sre"]`);
  return lines.join("\n") + "\n";
}

export const serviceName = (i: number): string => `svc-${String(i).padStart(3, "0")}`;

/** The receiving end in its own process (bench/github-webhook-arrivals.ts): the emulator and the floor's sink. */
export interface ArrivalsProcess {
  /** The CodePipeline emulator Whistlestop calls. */
  readonly url: string;
  /** Where the floor app makes its one call. */
  readonly sinkUrl: string;
  /** Executions still running in the emulator. */
  running(): Promise<number>;
  stop(): Promise<void>;
}

export async function startArrivals(configPath: string, arrivals: Arrivals): Promise<ArrivalsProcess> {
  const child = spawnChild(["bin/run-ts.js", "bench/github-webhook-arrivals.ts"], { BENCH_CONFIG: configPath, STEP_MS: "250" });
  let partial = "";
  child.process.stdout!.on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const [mark, sha, at] = line.split(" ");
      if (mark === "A" && sha && at) arrivals.record(sha, Number(at));
    }
  });
  const { url, sink } = await firstUrlLine<{ url: string; sink: string }>(child, "the arrivals process", 30_000);
  return {
    url,
    sinkUrl: `${sink}/start`,
    running: async () => ((await (await fetch(`${sink}/running`)).json()) as { running: number }).running,
    stop: () => child.stop(),
  };
}

export interface BenchWorld {
  readonly dir: string;
  readonly keyPath: string;
  readonly configPath: string;
  readonly github: FakeGitHubApi;
  readonly emulator: ArrivalsProcess;
  close(): Promise<void>;
}

export async function prepareWorld(services: number, arrivals: Arrivals): Promise<BenchWorld> {
  const dir = await mkdtemp(join(tmpdir(), "whistlestop-gh-bench-"));
  const keyPath = writeThrowawayPrivateKey(join(dir, "app.pem"));
  const configPath = join(dir, "whistlestop.yml");
  const configText = benchConfigText(services);
  await writeFile(configPath, configText);
  const github = await new FakeGitHubApi().start();
  const emulator = await startArrivals(configPath, arrivals);
  return {
    dir,
    keyPath,
    configPath,
    github,
    emulator,
    async close() {
      await github.close();
      await emulator.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Whistlestop as its own process, with GitHub on the fake API and CodePipeline on the emulator. */
export function startWhistlestop(world: BenchWorld): Promise<ServerProcess> {
  return startServerProcess({
    APP_ID: "1",
    PRIVATE_KEY_PATH: world.keyPath,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: world.github.host,
    GHE_PROTOCOL: "http",
    WHISTLESTOP_CONFIG: world.configPath,
    WHISTLESTOP_DB: join(world.dir, "whistlestop.db"),
    AWS_ENDPOINT_URL_CODEPIPELINE: world.emulator.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    // Profiling and tracing hooks for the server process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    ...(process.env.GITHUB_BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.GITHUB_BENCH_SERVER_NODE_OPTIONS } : {}),
  });
}

/** The bare Probot app (bench/github-webhook-floor.ts) as its own process. */
export function startFloor(world: BenchWorld): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["bin/run-ts.js", "bench/github-webhook-floor.ts"], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? "", WEBHOOK_SECRET: SECRET, PRIVATE_KEY_PATH: world.keyPath, SINK_URL: world.emulator.sinkUrl, PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      buffered += chunk;
      const line = buffered.split("\n").find((l) => l.includes('"floor listening"'));
      if (line) resolve({ url: (JSON.parse(line) as { url: string }).url, child });
    });
    child.once("exit", (code) => reject(new Error(`the floor app exited (${code}) before listening`)));
  });
}

/** User + system CPU time of a process so far, in ms, from /proc (Linux); undefined elsewhere. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 per second).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
