/** Child processes the benchmarks run: the CodePipeline emulator on its own, and a scratch directory. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../test/kit/process-helpers.js";

export interface EmulatorProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stats(): Promise<{ calls: Record<string, number>; totalCalls: number; executions: number }>;
  settings(body: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

/** `whistlestop emulator` in its own process, serving the pipelines of `configPath`. */
export function startEmulatorProcess(configPath: string, stepMs: number): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ["bin/whistlestop.js", "emulator"], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? "", WHISTLESTOP_CONFIG: configPath, EMULATOR_PORT: "0", EMULATOR_STEP_MS: String(stepMs) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      buffered += chunk;
      const url = /CodePipeline emulator on (http:\/\/\S+)/.exec(buffered)?.[1];
      if (!url) return;
      child.stdout!.removeAllListeners("data");
      child.stdout!.resume();
      resolve({
        url,
        child,
        stats: async () => (await fetch(`${url}/_emulator/stats`)).json() as never,
        settings: async (body) => {
          await fetch(`${url}/_emulator/settings`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        },
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code}) before listening`)));
  });
}

export async function scratchDir(prefix: string): Promise<{ dir: string; path(name: string): string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}
