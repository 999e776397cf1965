import { Writable } from "node:stream";
import type { CommandResult, DeployView } from "../../src/core/commands/command-result.js";
import type { RunTextOptions } from "../../src/core/commands/command-runner.js";
import type { ApiRunner } from "../../src/adapters/http/api-routes.js";
import type { RequestContext } from "../../src/core/commands/request-context.js";
import type { Deploy } from "../../src/core/model/deploy.js";
import { EventHub } from "../../src/core/orchestrator/event-hub.js";
import { createLogger } from "../../src/app/logger.js";
import { Metrics } from "../../src/app/metrics.js";
import { startHttpServer, type RunningHttpServer, type StartHttpServerOptions } from "../../src/app/http-server.js";
import { aDeploy, aDeployView } from "../kit/builders.js";

export const TOKEN = "ci-token-0123456789abcdef";
export const OTHER_TOKEN = "deployer-token-fedcba9876543210";
export const API_TOKENS = [
  { name: "ci", token: TOKEN },
  { name: "release-bot", token: OTHER_TOKEN },
];

export const auth = (token = TOKEN) => ({ Authorization: `Bearer ${token}` });
export const jsonHeaders = (token = TOKEN) => ({ ...auth(token), "Content-Type": "application/json" });

/** This suite's deploy: the `ci` client's, on Bake since 10:00. */
export const deployRecord = (overrides: Partial<Deploy> = {}): Deploy =>
  aDeploy({ actor: "ci", actorLogin: "ci", stages: [{ name: "Bake", status: "running", startedAt: "2026-01-01T10:00:00.000Z" }], requestedAt: "2026-01-01T10:00:00.000Z", ...overrides });

export const deployView = (overrides: Partial<DeployView> = {}): DeployView =>
  aDeployView({ actor: "ci", stages: [{ name: "Bake", state: "running" }], requestedAt: "2026-01-01T10:00:00.000Z", ...overrides });

interface Call {
  readonly text: string;
  readonly context: RequestContext;
  readonly options?: RunTextOptions;
}

/** The HTTP API's runner, whose answers the test sets; it records what it was asked. */
export class FakeRunner implements ApiRunner {
  readonly calls: Call[] = [];
  readonly listCalls: Array<{ service?: string; env?: string; limit?: number }> = [];
  deploys = new Map<string, DeployView>();
  result: CommandResult = { outcome: "started", message: "Deploying donations to staging.", deploy: deployView(), record: deployRecord() };
  /** Replaces the default answer (e.g. to block or throw). */
  runTextImpl?: (text: string, context: RequestContext) => Promise<CommandResult>;
  getDeployImpl?: (id: string) => Promise<DeployView | undefined>;

  async runText(text: string, context: RequestContext, options?: RunTextOptions): Promise<CommandResult> {
    this.calls.push({ text, context, ...(options ? { options } : {}) });
    return this.runTextImpl ? this.runTextImpl(text, context) : this.result;
  }

  async getDeploy(id: string): Promise<DeployView | undefined> {
    return this.getDeployImpl ? this.getDeployImpl(id) : this.deploys.get(id);
  }

  async listDeploys(filter: { service?: string; env?: string; limit?: number }): Promise<DeployView[]> {
    this.listCalls.push(filter);
    return [...this.deploys.values()];
  }
}

/** Collects log lines so tests can look for secrets in them. */
export class LogCapture extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString("utf8");
    callback();
  }
  get lines(): Array<Record<string, unknown>> {
    return this.text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

export interface TestServer extends RunningHttpServer {
  readonly runner: FakeRunner;
  readonly events: EventHub;
  readonly metrics: Metrics;
  readonly logs: LogCapture;
}

export async function startTestServer(overrides: Partial<StartHttpServerOptions> = {}): Promise<TestServer> {
  const runner = new FakeRunner();
  const events = new EventHub();
  const metrics = new Metrics({ defaultMetrics: false, queueDepth: async () => 3 });
  const logs = new LogCapture();
  const running = await startHttpServer({
    port: 0,
    host: "127.0.0.1",
    runner,
    events,
    apiTokens: API_TOKENS,
    ready: async () => {},
    metrics,
    logger: createLogger({ level: "debug", destination: logs }),
    ...overrides,
  });
  return { ...running, runner: (overrides.runner as FakeRunner | undefined) ?? runner, events, metrics, logs };
}

export function postCommand(server: { url: string }, body: unknown, headers: Record<string, string> = jsonHeaders()): Promise<Response> {
  return fetch(`${server.url}/api/v1/commands`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface SseMessage {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

/** Reads server-sent events one at a time from a fetch response; `next()` is undefined at the end. */
export function sseReader(response: Response): {
  next(): Promise<SseMessage | undefined>;
  /** Resolves when a comment line arrives while next() is reading. */
  nextComment(): Promise<string>;
} {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const commentWaiters: Array<(comment: string) => void> = [];
  return {
    nextComment: () => new Promise((resolve) => commentWaiters.push(resolve)),
    async next() {
      for (;;) {
        const boundary = buffer.indexOf("\n\n");
        if (boundary >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const lines = block.split("\n");
          for (const line of lines) {
            if (line.startsWith(":")) for (const resolve of commentWaiters.splice(0)) resolve(line.slice(1).trim());
          }
          const event = lines.find((line) => line.startsWith("event: "))?.slice(7);
          const data = lines.find((line) => line.startsWith("data: "))?.slice(6);
          if (event && data) return { event, data: JSON.parse(data) as Record<string, unknown> };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffer += value;
      }
    },
  };
}

export type Json = Record<string, unknown>;

export const jsonOf = async (response: Response): Promise<Json> => (await response.json()) as Json;

/** The `error` message of a JSON error response. */
export const errorOf = async (response: Response): Promise<string> => String((await jsonOf(response)).error);
