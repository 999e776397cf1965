import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import type { ApiCommandResult } from "../../src/core/commands/api-command-result.js";
import type { DeployView } from "../../src/core/commands/command-result.js";
import type { CliIo } from "../../src/cli/cli-io.js";
import { aDeployView } from "../kit/builders.js";

export const TOKEN = "sandbox-token-123";

/** The CLI suites' deploy: the sandbox's, on Bake after Source. */
export const view = (overrides: Partial<DeployView> = {}): DeployView =>
  aDeployView({
    id: "d-42",
    sha: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
    actor: "sandbox",
    stages: [
      { name: "Source", state: "succeeded", startedAt: "2026-03-01T12:00:00.000Z", finishedAt: "2026-03-01T12:00:03.000Z" },
      { name: "Bake", state: "running", startedAt: "2026-03-01T12:00:03.000Z" },
      { name: "Deploy", state: "waiting" },
    ],
    requestedAt: "2026-03-01T12:00:00.000Z",
    startedAt: "2026-03-01T12:00:00.000Z",
    ...overrides,
  });

/** One step of a scripted event stream: an event, a heartbeat comment, or a dropped connection. */
export type StreamStep = { event: string; data: unknown } | { comment: string } | "drop" | "hold";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly idempotencyKey?: string;
  readonly body?: unknown;
}

export interface FakeOptions {
  /** Answers POST /api/v1/commands: the ApiCommandResult (or a raw status and body). */
  onCommand?: (text: string, call: number) => ApiCommandResult | { status: number; body: unknown };
  /** The script for the n-th connection (0-based) to GET /api/v1/deploys/:id/events; undefined → 500. */
  stream?: (id: string, connection: number) => readonly StreamStep[] | undefined;
  /** Answers GET /api/v1/deploys/:id. */
  deploy?: (id: string, call: number) => DeployView | undefined;
  /** Called after a stream step was written (tests interrupt the CLI here). */
  afterStep?: (step: StreamStep, connection: number) => void;
}

export interface FakeWhistlestop {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

const sse = (step: { event: string; data: unknown }) => `event: ${step.event}\ndata: ${JSON.stringify(step.data)}\n\n`;

/** A stand-in for the Whistlestop HTTP API on a random loopback port. */
export async function startFakeWhistlestop(options: FakeOptions): Promise<FakeWhistlestop> {
  const requests: RecordedRequest[] = [];
  const counts = { command: 0, stream: 0, deploy: 0 };
  const held = new Set<ServerResponse>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = req.url ?? "/";
    requests.push({
      method: req.method ?? "GET",
      path,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(typeof req.headers["idempotency-key"] === "string" ? { idempotencyKey: req.headers["idempotency-key"] } : {}),
      ...(raw ? { body: JSON.parse(raw) } : {}),
    });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { error: "The bearer token is not valid." });

    if (req.method === "POST" && path === "/api/v1/commands") {
      const answer = options.onCommand?.((JSON.parse(raw) as { text: string }).text, counts.command++);
      if (!answer) return json(500, { error: "no answer scripted" });
      return "status" in answer ? json(answer.status, answer.body) : json(200, answer);
    }
    const events = /^\/api\/v1\/deploys\/([^/]+)\/events$/.exec(path);
    if (req.method === "GET" && events) {
      const connection = counts.stream++;
      const steps = options.stream?.(events[1]!, connection);
      if (!steps) return json(500, { error: "stream unavailable" });
      res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache" });
      for (const step of steps) {
        if (step === "drop") return void res.destroy();
        if (step === "hold") return void held.add(res);
        res.write("comment" in step ? `: ${step.comment}\n\n` : sse(step));
        options.afterStep?.(step, connection);
        await new Promise((resolve) => setImmediate(resolve));
      }
      return void res.end();
    }
    const deploy = /^\/api\/v1\/deploys\/([^/]+)$/.exec(path);
    if (req.method === "GET" && deploy) {
      const found = options.deploy?.(deploy[1]!, counts.deploy++);
      return found ? json(200, found) : json(404, { error: `No deploy with id "${deploy[1]}".` });
    }
    json(404, { error: "not found" });
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A captured output stream; `isTTY` makes it look like a terminal. */
export class CapturedOutput {
  text = "";
  constructor(
    readonly isTTY = false,
    readonly columns = 100,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface TestIo extends CliIo {
  readonly stdout: CapturedOutput;
  readonly stderr: CapturedOutput;
  readonly stdin: PassThrough & { isTTY?: boolean };
}

/** In-process CLI io: no real terminal, no waiting between reconnects, a fixed clock. */
export function testIo(overrides: { env?: Record<string, string | undefined>; tty?: boolean; cwd?: string; signal?: AbortSignal } = {}): TestIo {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.isTTY = overrides.tty ?? false;
  return {
    stdout: new CapturedOutput(overrides.tty ?? false),
    stderr: new CapturedOutput(false),
    stdin,
    env: overrides.env ?? {},
    cwd: overrides.cwd ?? process.cwd(),
    now: () => new Date("2026-03-01T12:01:00.000Z"),
    sleep: async () => {},
    timing: { tickMs: 60_000, pollMs: 1, requestTimeoutMs: 5_000, idleTimeoutMs: 5_000 },
    ...(overrides.signal ? { interruptSignal: () => overrides.signal! } : {}),
  };
}
