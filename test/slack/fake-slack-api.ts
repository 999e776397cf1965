import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CallHolds, type HeldCalls } from "../fakes/call-holds.js";

/** One request the fake received: a Web API call (`chat.update`) or a POST to a response_url ("respond"). */
export interface SlackCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  /** Date.now() when it arrived. */
  readonly at: number;
  readonly status: number;
  /** Answered 200 with ok: true. */
  readonly ok: boolean;
  /** What the fake answered (ts of a posted message). */
  readonly response: Record<string, unknown>;
}

interface Failure {
  readonly method: string;
  remaining: number;
  readonly status?: number;
  readonly retryAfter?: number;
  readonly error?: string;
  readonly when?: (args: Record<string, unknown>) => boolean;
}

interface RandomFailure {
  readonly rate: number;
  readonly random: () => number;
  readonly status: number;
  readonly retryAfter: number;
}

/**
 * A local stand-in for Slack's Web API and response_urls: records every call (blocks parsed) and
 * answers ok with a fresh ts, or fails on request (429 + Retry-After, ok:false errors, a share of
 * calls at random), or holds calls unanswered (what a server killed mid-call leaves behind).
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  private readonly events = new EventEmitter();
  private readonly failures: Failure[] = [];
  private randomFailure: RandomFailure | undefined;
  private readonly holds = new CallHolds<{ method: string; args: Record<string, unknown> }>();
  private seq = 100;
  private server!: Server;
  url = "";

  static async start(): Promise<FakeSlackApi> {
    const fake = new FakeSlackApi();
    fake.server = createServer((req, res) => {
      void fake.handle(req).then((answer) => {
        if (!answer) return void res.destroy();
        res.writeHead(answer.status, { "Content-Type": "application/json", ...answer.headers });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** SLACK_API_URL for the WebClient. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(name: string): string {
    return `${this.url}/respond/${name}`;
  }

  /** Make the next `count` calls of `method` (matching `when`) fail. */
  fail(method: string, count: number, how: { status?: number; retryAfter?: number; error?: string; when?: (args: Record<string, unknown>) => boolean }): void {
    this.failures.push({ method, remaining: count, ...how });
  }

  /**
   * From now on each Web API call (response_urls excepted) fails with `status` (default 429 with
   * Retry-After) with probability `rate`, drawn from `random`.
   */
  failRandomly(options: { rate: number; random: () => number; status?: number; retryAfter?: number }): void {
    this.randomFailure = { status: 429, retryAfter: 1, ...options };
  }

  /** Keep matching calls unanswered until released or dropped. */
  hold(method: string, when: (args: Record<string, unknown>) => boolean = () => true): HeldCalls {
    return this.holds.add((call) => call.method === method && when(call.args));
  }

  /** Slack is healthy again. */
  clearFailures(): void {
    this.failures.splice(0);
    this.randomFailure = undefined;
  }

  of(method: string, where: (call: SlackCall) => boolean = () => true): SlackCall[] {
    return this.calls.filter((c) => c.method === method && c.ok && where(c));
  }

  /** Resolves with the first successful call matching, waiting for it to arrive if needed. */
  waitFor(method: string, where: (call: SlackCall) => boolean = () => true, timeoutMs = 5000): Promise<SlackCall> {
    const found = this.of(method, where)[0];
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off("call", listener);
        reject(new Error(`no ${method} call matched within ${timeoutMs} ms; calls: ${this.calls.map((c) => `${c.method}:${c.status}`).join(", ")}`));
      }, timeoutMs);
      const listener = (call: SlackCall) => {
        if (call.method !== method || !call.ok || !where(call)) return;
        clearTimeout(timer);
        this.events.off("call", listener);
        resolve(call);
      };
      this.events.on("call", listener);
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> } | undefined> {
    const raw = await new Promise<string>((resolve) => {
      let data = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (data += chunk));
      req.on("end", () => resolve(data));
    });
    const path = new URL(req.url ?? "/", this.url).pathname;
    const isRespond = path.startsWith("/respond/");
    const method = isRespond ? "respond" : path.replace(/^\/api\//, "");
    const args = parseArgs(raw, String(req.headers["content-type"] ?? ""));
    if (isRespond) args.url = path;
    if (!isRespond && !String(req.headers.authorization ?? "").startsWith("Bearer xoxb-")) return this.record(method, args, 200, { ok: false, error: "not_authed" });
    if (!(await this.holds.pass({ method, args }))) return undefined;
    const random = this.randomFailure;
    if (!isRespond && random && random.random() < random.rate) {
      if (random.status === 429) return this.record(method, args, 429, { ok: false, error: "ratelimited" }, { "Retry-After": String(random.retryAfter) });
      return this.record(method, args, random.status, { ok: false });
    }
    const failure = this.failures.find((f) => f.method === method && f.remaining > 0 && (!f.when || f.when(args)));
    if (failure) {
      failure.remaining--;
      if (failure.status === 429) return this.record(method, args, 429, { ok: false, error: "ratelimited" }, { "Retry-After": String(failure.retryAfter ?? 1) });
      if (failure.status) return this.record(method, args, failure.status, { ok: false });
      return this.record(method, args, 200, { ok: false, error: failure.error ?? "fatal_error" }, {}, false);
    }
    if (isRespond) return this.record(method, args, 200, { ok: true });
    const channel = String(args.channel ?? "");
    switch (method) {
      case "chat.postMessage":
        return this.record(method, args, 200, { ok: true, channel, ts: this.nextTs(), message: { text: args.text } });
      case "chat.update":
        return this.record(method, args, 200, { ok: true, channel, ts: args.ts });
      case "chat.postEphemeral":
        return this.record(method, args, 200, { ok: true, message_ts: this.nextTs() });
      default:
        return this.record(method, args, 200, { ok: true });
    }
  }

  private record(method: string, args: Record<string, unknown>, status: number, body: unknown, headers: Record<string, string> = {}, success = true) {
    const call: SlackCall = { method, args, at: Date.now(), status, ok: success && status === 200, response: body as Record<string, unknown> };
    this.calls.push(call);
    this.events.emit("call", call);
    return { status, body, headers };
  }

  private nextTs(): string {
    return `1700000000.${String(++this.seq).padStart(6, "0")}`;
  }
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes("json")) return JSON.parse(raw) as Record<string, unknown>;
  const args: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw).entries());
  for (const key of ["blocks", "attachments"]) if (typeof args[key] === "string") args[key] = JSON.parse(args[key] as string);
  return args;
}

/** All the mrkdwn/plain text of a message's blocks, for assertions. */
export function blocksText(args: Record<string, unknown>): string {
  return JSON.stringify(args.blocks ?? []);
}
