import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { StopWaiting, waitFor } from "../test/kit/wait-for.js";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface Child {
  readonly process: ChildProcess;
  readonly output: string[];
  stop(): Promise<void>;
}

/** Only what a child needs from the parent: no real Slack, AWS or database settings leak in. */
function baseEnv(): Record<string, string> {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "TZ"];
  return Object.fromEntries(keep.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}

export function spawnChild(args: readonly string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...baseEnv(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      output.push(...chunk.split("\n").filter(Boolean));
      if (output.length > 500) output.splice(0, output.length - 500);
    });
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    process: child,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Stops the wait at once when the child has exited: it will never answer. */
function stillRunning(child: Child, what: string): void {
  if (child.process.exitCode !== null) throw new StopWaiting(`${what}: the process exited:\n${child.output.slice(-40).join("\n")}`);
}

/**
 * The first line a child prints that starts with `{"url"` (it prints one once it listens),
 * parsed. A child that exits or stays silent is stopped and its output thrown.
 */
export async function firstUrlLine<T extends { url: string }>(child: Child, what: string, timeoutMs: number): Promise<T> {
  try {
    const urlLine = () => {
      stillRunning(child, what);
      return child.output.find((l) => l.startsWith('{"url"'));
    };
    const line = await waitFor(what, urlLine, timeoutMs);
    return JSON.parse(line) as T;
  } catch (error) {
    await child.stop();
    throw new Error(`${what} did not start:\n${child.output.join("\n")}`, { cause: error });
  }
}

/** A TypeScript child that prints `{"url": …}` as its first JSON line once it listens. */
export async function startTsChild(file: string, env: Record<string, string>, timeoutMs = 20_000): Promise<Child & { url: string }> {
  const child = spawnChild(["bin/run-ts.js", file], env);
  const { url } = await firstUrlLine(child, file, timeoutMs);
  return { ...child, url };
}

/** Polls GET url until it answers 200. */
export async function waitHealthy(url: string, child: Child, timeoutMs = 30_000): Promise<void> {
  const healthy = async () => {
    stillRunning(child, url);
    return (await fetch(url)).ok || undefined;
  };
  await waitFor(`${url} to answer 200`, healthy, timeoutMs, 50);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
