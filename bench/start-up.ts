/**
 * Server start-up: from `node bin/whistlestop.js start` to a 200 from /healthz, and the server's
 * resident memory (RSS) once it answers and after 200 API commands. The floor is a bare node:http
 * server started the same way, so the figures say what Whistlestop adds to starting Node itself.
 *
 *   node bin/run-ts.js bench/run.ts start-up
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { EXAMPLE_CONFIG_PATH, startServerProcess } from "../test/kit/process-helpers.js";
import { waitFor } from "../test/kit/wait-for.js";
import { scratchDir, startEmulatorProcess } from "./lib/processes.js";
import type { Row } from "./lib/stats.js";

const ROUNDS = 5;
const TOKEN = "bench-token-0123456789abcdef";

export interface StartUpResult {
  readonly startMs: number;
  readonly floorStartMs: number;
  readonly rssMiB: number;
  readonly rssAfterCommandsMiB: number;
  readonly floorRssMiB: number;
  /** CPU time (user + system) the server used to get there: steadier than wall time on a busy machine. */
  readonly cpuMs: number;
  readonly floorCpuMs: number;
}

/** Resident set size of a running process, from /proc (Linux). */
async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

/** User + system CPU time of a running process, from /proc/<pid>/stat (in clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function healthy(url: string): Promise<true | undefined> {
  return (await fetch(`${url}/healthz`)).status === 200 ? true : undefined;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A bare node:http server answering /healthz: the least any Node server costs to start. */
async function floorRound(): Promise<{ ms: number; rss: number; cpu: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ["-e", "require('node:http').createServer((q,s)=>s.end('ok')).listen(0,'127.0.0.1',function(){console.log('http://127.0.0.1:'+this.address().port)})"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve) => child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim())));
  await waitFor("the floor server", () => healthy(url), 10_000, 5);
  const ms = performance.now() - started;
  const rss = await rssMiB(child.pid!);
  const cpu = await cpuMs(child.pid!);
  child.kill();
  return { ms, rss, cpu };
}

export async function runStartUpBench(): Promise<StartUpResult> {
  const scratch = await scratchDir("whistlestop-start-up-");
  const emulator = await startEmulatorProcess(EXAMPLE_CONFIG_PATH, 100);
  const starts: number[] = [];
  const rss: number[] = [];
  const rssAfter: number[] = [];
  const cpu: number[] = [];
  const floors: Array<{ ms: number; rss: number; cpu: number }> = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      floors.push(await floorRound());
      const started = performance.now();
      const server = await startServerProcess({
        WHISTLESTOP_CONFIG: EXAMPLE_CONFIG_PATH,
        WHISTLESTOP_DB: scratch.path(`round-${round}.db`),
        // The example config declares one API client, the sandbox's.
        WHISTLESTOP_API_TOKENS: `sandbox:${TOKEN}`,
        PORT: "0",
        HOST: "127.0.0.1",
        AWS_REGION: "us-east-1",
        AWS_ENDPOINT_URL_CODEPIPELINE: emulator.url,
        AWS_ACCESS_KEY_ID: "bench",
        AWS_SECRET_ACCESS_KEY: "bench",
      });
      await waitFor("/healthz", () => healthy(server.url), 10_000, 5);
      starts.push(performance.now() - started);
      rss.push(await rssMiB(server.child.pid!));
      cpu.push(await cpuMs(server.child.pid!));
      for (let i = 0; i < 200; i++) {
        const response = await fetch(`${server.url}/api/v1/commands`, {
          method: "POST",
          headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
          body: JSON.stringify({ text: i % 2 ? "windows" : "locks" }),
        });
        await response.arrayBuffer();
      }
      rssAfter.push(await rssMiB(server.child.pid!));
      await server.stop();
    }
  } finally {
    await emulator.stop();
    await scratch.remove();
  }
  return {
    startMs: median(starts),
    floorStartMs: median(floors.map((f) => f.ms)),
    rssMiB: median(rss),
    rssAfterCommandsMiB: median(rssAfter),
    floorRssMiB: median(floors.map((f) => f.rss)),
    cpuMs: median(cpu),
    floorCpuMs: median(floors.map((f) => f.cpu)),
  };
}

export function startUpRows(result: StartUpResult): Row[] {
  const mib = (value: number) => `${value.toFixed(0)} MiB`;
  return [
    { metric: `server start-up: spawn → /healthz 200 (median of ${ROUNDS})`, value: `${result.startMs.toFixed(0)} ms`, floor: `${result.floorStartMs.toFixed(0)} ms`, ratio: `${(result.startMs / result.floorStartMs).toFixed(2)}×` },
    { metric: "server start-up: CPU time (user + system)", value: `${result.cpuMs.toFixed(0)} ms`, floor: `${result.floorCpuMs.toFixed(0)} ms`, ratio: `${(result.cpuMs / result.floorCpuMs).toFixed(2)}×` },
    { metric: "server RSS once healthy", value: mib(result.rssMiB), floor: mib(result.floorRssMiB) },
    { metric: "server RSS after 200 API commands", value: mib(result.rssAfterCommandsMiB), floor: mib(result.floorRssMiB) },
  ];
}

