import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import type { MountHandler, MountMatcher } from "../../ports/surface.js";
import { answerClientError } from "./answer-client-error.js";
import { HttpError } from "./http-error.js";
import { Router, type RouteHandler } from "./router.js";
import { sendJson } from "./send-json.js";
import { isEventStream } from "./event-stream-head.js";


/** What the server reports per request; the app's Metrics satisfies it. */
export interface RequestRecorder {
  recordRequest(route: string, method: string, status: number, durationSeconds?: number): void;
}

export interface HttpServerOptions {
  readonly logger: Logger;
  readonly metrics?: RequestRecorder;
  /** Route patterns logged at debug rather than info (probes and scrapes). */
  readonly quietRoutes?: readonly string[];
  /** Longest time to receive a whole request; default 60 s. */
  readonly requestTimeoutMs?: number;
  /** Longest time to receive the request headers; default 30 s. */
  readonly headersTimeoutMs?: number;
  /** Idle keep-alive time; above the usual 60 s load-balancer idle timeout so the balancer closes first. Default 65 s. */
  readonly keepAliveTimeoutMs?: number;
}

interface Mount {
  readonly name: string;
  readonly matches: (req: IncomingMessage, url: URL) => boolean;
  readonly handler: MountHandler;
}

const INTERNAL_ERROR =
  "Whistlestop hit an internal error and did not finish the request. Try again; if it keeps happening, tell the SRE on call (details are in Whistlestop's log).";

/** One node:http server: mounted surfaces first, then the route table, with graceful draining. */
export class HttpServer {
  readonly router = new Router();
  readonly server: Server;
  private readonly mounts: Mount[] = [];
  private readonly inFlight = new Set<ServerResponse>();
  private readonly idleWaiters: Array<() => void> = [];
  private readonly drainListeners = new Set<() => void>();
  private readonly quietRoutes: ReadonlySet<string>;
  private drainPromise: Promise<void> | undefined;

  constructor(private readonly options: HttpServerOptions) {
    this.quietRoutes = new Set(options.quietRoutes ?? []);
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.requestTimeout = options.requestTimeoutMs ?? 60_000;
    this.server.headersTimeout = options.headersTimeoutMs ?? 30_000;
    this.server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 65_000;
    this.server.on("clientError", answerClientError);
    // Without a listener node drops CONNECT requests without a word; this is not a proxy, so say so.
    this.server.on("connect", (_req: IncomingMessage, socket: Duplex) => {
      // The socket is ours now: a client that resets it must not become an uncaught error.
      socket.on("error", () => socket.destroy());
      const body = JSON.stringify({ error: "CONNECT is not supported: Whistlestop is not a proxy." });
      socket.end(`HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  mount(match: MountMatcher, handler: MountHandler, name?: string): this {
    const matches = typeof match === "string" ? prefixMatcher(match) : match;
    this.mounts.push({ name: name ?? (typeof match === "string" ? `${match.replace(/\/$/, "")}/*` : "mount"), matches, handler });
    return this;
  }

  route(method: string, pattern: string, handler: RouteHandler): this {
    this.router.add(method, pattern, handler);
    return this;
  }

  /** True once drain() began: commands are refused and readiness fails. */
  get draining(): boolean {
    return this.drainPromise !== undefined;
  }

  /** Long-lived responses (event streams) register here to end when draining starts; returns the unregister function. */
  onDrain(listener: () => void): () => void {
    this.drainListeners.add(listener);
    return () => this.drainListeners.delete(listener);
  }

  async listen(port: number, host?: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    const shownHost = !host || host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
    return `http://${shownHost}:${address.port}`;
  }

  /**
   * Stops accepting connections, ends event streams, lets in-flight requests finish (up to
   * `timeoutMs`), then closes every socket. Idempotent: later calls return the same promise.
   */
  drain(timeoutMs = 10_000): Promise<void> {
    this.drainPromise ??= this.runDrain(timeoutMs);
    return this.drainPromise;
  }

  /**
   * Requests being answered now, event streams left out (they stay open for as long as someone
   * watches): background work (polls) holds back while there are any, so a burst of webhooks or
   * commands is not slowed by it.
   */
  answering(): number {
    let count = 0;
    for (const response of this.inFlight) if (!isEventStream(response)) count++;
    return count;
  }

  /** Immediate shutdown (tests, second signal): drain without waiting for anyone. */
  close(): Promise<void> {
    return this.drain(0);
  }

  private async runDrain(timeoutMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const response of this.inFlight) if (!response.headersSent) response.setHeader("Connection", "close");
    for (const listener of [...this.drainListeners]) listener();
    this.server.closeIdleConnections();
    const finished = await withTimeout(this.whenIdle(), timeoutMs);
    if (!finished) this.options.logger.warn({ inFlight: this.inFlight.size, timeoutMs }, "drain timed out; closing the remaining requests");
    this.server.closeIdleConnections();
    // Responses sent with Connection: close end their sockets themselves; give them a moment to flush.
    if (!(await withTimeout(closed, finished ? 1_000 : 0))) this.server.closeAllConnections();
    await closed;
  }

  private whenIdle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = process.hrtime.bigint();
    const method = req.method ?? "GET";
    let route = "unmatched";
    this.inFlight.add(res);
    if (this.draining) res.setHeader("Connection", "close");
    res.once("close", () => this.finished(res, method, route, startedAt));
    try {
      const url = requestUrl(req.url ?? "/");
      for (const mount of this.mounts) {
        if (!mount.matches(req, url)) continue;
        route = mount.name;
        if (await mount.handler(req, res)) return;
      }
      const match = this.router.match(method, url.pathname);
      if (match.kind === "found") {
        route = match.route;
        await match.handler({ req, res, url, params: match.params });
      } else if (match.kind === "method_not_allowed") {
        route = match.route;
        const allowed = match.allowed.join(", ");
        sendJson(res, 405, { error: `${method} is not allowed on ${match.route}; use ${allowed}.` }, { Allow: allowed });
      } else {
        route = "unmatched";
        sendJson(res, 404, { error: `Nothing at ${method} ${url.pathname}. The API is POST /api/v1/commands and GET /api/v1/deploys.` });
      }
    } catch (error) {
      this.fail(res, error, method, route);
    }
  }

  private fail(res: ServerResponse, error: unknown, method: string, route: string): void {
    if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message }, error.headers);
    this.options.logger.error({ err: error, method, route }, "request failed");
    if (res.headersSent) res.destroy();
    else sendJson(res, 500, { error: INTERNAL_ERROR });
  }

  private finished(res: ServerResponse, method: string, route: string, startedAt: bigint): void {
    this.inFlight.delete(res);
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const streaming = isEventStream(res);
    // A stream's lifetime is not a latency; it would only fill the +Inf bucket.
    this.options.metrics?.recordRequest(route, method, res.statusCode, streaming ? undefined : seconds);
    const fields = { method, route, status: res.statusCode, ms: Math.round(seconds * 1000), completed: res.writableFinished };
    if (res.statusCode >= 500) this.options.logger.warn(fields, "request answered");
    else if (this.quietRoutes.has(route)) this.options.logger.debug(fields, "request answered");
    else this.options.logger.info(fields, "request answered");
    if (this.inFlight.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

/** Origin-form paths are appended, not resolved, so "//x" stays a path instead of becoming a host. */
function requestUrl(target: string): URL {
  try {
    return target.startsWith("/") ? new URL(`http://whistlestop.invalid${target}`) : new URL(target);
  } catch {
    throw new HttpError(400, `The request target "${target.slice(0, 100)}" is not a valid path.`);
  }
}

function prefixMatcher(prefix: string): (req: IncomingMessage, url: URL) => boolean {
  const base = prefix.replace(/\/$/, "");
  return (_req, url) => url.pathname === base || url.pathname.startsWith(`${base}/`);
}

/** Whether `promise` settled within `ms`; the timer never keeps the process alive. */
async function withTimeout(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}
