import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const EXAMPLE_CONFIG_PATH = fileURLToPath(new URL("../../examples/whistlestop.yml", import.meta.url));

/**
 * The example config with more API clients declared (each may do everything everywhere), written
 * into `dir`: every name in WHISTLESTOP_API_TOKENS must be declared or start-up stops.
 */
export function exampleConfigWithClients(dir: string, ...names: string[]): string {
  const text = readFileSync(EXAMPLE_CONFIG_PATH, "utf8");
  const clients = names.map((name) => `  ${name}: { may: [deploy, rollback, lock, unlock, cancel, check], services: ["*"], environments: [staging, prod] }\n`);
  const path = join(dir, "whistlestop-with-clients.yml");
  writeFileSync(path, text.replace(/^api_clients:\n/m, `api_clients:\n${clients.join("")}`));
  return path;
}

let ciConfigPath: string | undefined;
/** The example config with the API client `ci` declared, for servers started with a `ci:` token. */
export function exampleConfigWithCi(): string {
  ciConfigPath ??= exampleConfigWithClients(mkdtempSync(join(tmpdir(), "whistlestop-config-")), "ci");
  return ciConfigPath;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** `node bin/whistlestop.js start` (or `sandbox`) running as its own process. */
export interface ServerProcess {
  /** Base URL from the "whistlestop is listening" log line, or the sandbox banner's "server" line. */
  readonly url: string;
  readonly child: ChildProcess;
  /** Every stdout/stderr line so far (pino JSON lines and anything else). */
  readonly lines: readonly string[];
  /** Settles when the process has exited. */
  readonly exited: Promise<ProcessExit>;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<ProcessExit>;
}

export type ServerCommand = "start" | "sandbox";

/** Where and as whom the server runs: by default this checkout, as the test runner's user. */
export interface SpawnPlace {
  /** The install directory whose bin/whistlestop.js runs (default: this checkout). */
  readonly installDir?: string;
  /** The working directory (default: installDir). */
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
}

/** Only what a server needs from the parent: no DATABASE_URL, Slack, GitHub or AWS settings leak in. */
function baseEnv(): Record<string, string> {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "TZ"];
  return Object.fromEntries(keep.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}

interface SpawnedServer {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly listeners: Set<(line: string) => void>;
  readonly exited: Promise<ProcessExit>;
}

function spawnServer(command: ServerCommand, env: Record<string, string>, place: SpawnPlace = {}): SpawnedServer {
  const installDir = place.installDir ?? PROJECT_ROOT;
  const child = spawn(process.execPath, [join(installDir, "bin", "whistlestop.js"), command], {
    cwd: place.cwd ?? installDir,
    ...(place.uid !== undefined ? { uid: place.uid } : {}),
    ...(place.gid !== undefined ? { gid: place.gid } : {}),
    env: { ...baseEnv(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", AWS_EC2_METADATA_DISABLED: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const exited = new Promise<ProcessExit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      for (const line of parts) {
        lines.push(line);
        for (const listener of listeners) listener(line);
      }
    });
  }
  return { child, lines, listeners, exited };
}

/**
 * Starts the server as a child process and resolves once it logged that it listens. Rejects with
 * the process's output when it exits first or does not come up within `timeoutMs`.
 */
export function startServerProcess(env: Record<string, string>, timeoutMs = 20_000, command: ServerCommand = "start", place: SpawnPlace = {}): Promise<ServerProcess> {
  const { child, lines, listeners, exited } = spawnServer(command, env, place);
  const output = () => lines.join("\n").slice(-4000);

  return new Promise<ServerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`whistlestop did not start within ${timeoutMs} ms; its output:\n${output()}`));
    }, timeoutMs);
    const onLine = (line: string) => {
      const url = listeningUrl(line);
      if (!url) return;
      clearTimeout(timer);
      listeners.delete(onLine);
      resolve({
        url,
        child,
        lines,
        exited,
        async stop(signal: NodeJS.Signals = "SIGTERM") {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    listeners.add(onLine);
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`whistlestop exited (${exit.code ?? exit.signal}) before listening; its output:\n${output()}`));
    });
  });
}

/** A server expected to refuse to start: resolves with its exit and output once it has exited. */
export async function serverProcessExit(command: ServerCommand, env: Record<string, string>, timeoutMs = 20_000): Promise<ProcessExit & { stdout: string; stderr: string }> {
  const { child, exited } = spawnServer(command, env);
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout!.on("data", (chunk: string) => stdout.push(chunk));
  child.stderr!.on("data", (chunk: string) => stderr.push(chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const exit = await exited;
  clearTimeout(timer);
  return { ...exit, stdout: stdout.join(""), stderr: stderr.join("") };
}

function listeningUrl(line: string): string | undefined {
  const banner = /^\s+server\s+(http:\/\/\S+)$/.exec(line);
  if (banner) return banner[1];
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return entry.msg === "whistlestop is listening" && typeof entry.url === "string" ? entry.url : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON API call with a bearer token. */
export async function callApi<T = unknown>(url: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { Authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { "Content-Type": "application/json" }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** An HTTP proxy in front of the emulator that holds one AWS operation until released. */
export interface HoldingProxy {
  readonly url: string;
  /** How many calls of the operation are being held. */
  held(): number;
  /** Lets every held call (and every later one) through. */
  release(): void;
  close(): Promise<void>;
}

export async function startHoldingProxy(targetUrl: string, operation: string): Promise<HoldingProxy> {
  let holding = true;
  let held = 0;
  const waiting: Array<() => void> = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const target = String(req.headers["x-amz-target"] ?? "");
      if (holding && target.endsWith(`.${operation}`)) {
        held += 1;
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      const headers: Record<string, string> = {};
      for (const name of ["content-type", "x-amz-target"]) if (req.headers[name]) headers[name] = String(req.headers[name]);
      const answer = await fetch(`${targetUrl}${req.url ?? "/"}`, { method: req.method ?? "POST", headers, ...(body.length ? { body } : {}) });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await answer.arrayBuffer()));
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const release = () => {
    holding = false;
    for (const resolve of waiting.splice(0)) resolve();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => held,
    release,
    async close() {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The whole body of a request. */
export async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
