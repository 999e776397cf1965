import { randomUUID } from "node:crypto";
import type { ApiCommandResult } from "../core/commands/api-command-result.js";
import type { DeployView } from "../core/commands/command-result.js";
import type { AuditRecord } from "../core/model/audit.js";
import type { ClientSettings } from "./client-settings.js";
import { readEventStream, type ServerSentEvent } from "./sse-client.js";

/** Why a request got no usable answer; `describeApiFailure` turns it into advice. */
export type ApiFailure =
  | { readonly kind: "unreachable"; readonly server: string; readonly detail: string }
  | { readonly kind: "timeout"; readonly server: string; readonly seconds: number }
  | { readonly kind: "aborted" }
  | { readonly kind: "http"; readonly server: string; readonly status: number; readonly message: string };

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: ApiFailure };

export interface ApiClientOptions {
  readonly fetch: typeof fetch;
  readonly requestTimeoutMs: number;
}

const CONNECTION_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_SOCKET: "connection closed",
};

function connectionDetail(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  if (code) return CONNECTION_ERRORS[code] ?? code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** The HTTP API (docs/commands.md, HTTP API), as the CLI uses it. Every failure is a value. */
export class ApiClient {
  constructor(
    private readonly settings: ClientSettings,
    private readonly options: ApiClientOptions,
  ) {}

  get server(): string {
    return this.settings.server;
  }

  /** Sends one command; a retry after a dropped connection carries the same Idempotency-Key. */
  async postCommand(text: string, signal?: AbortSignal): Promise<ApiResult<ApiCommandResult>> {
    const idempotencyKey = randomUUID();
    const send = () =>
      this.requestJson("/api/v1/commands", signal, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
        body: JSON.stringify({ text }),
      });
    let answer = await send();
    // The request may have arrived before the connection broke; the same key makes the retry safe.
    if (!answer.ok && answer.failure.kind === "unreachable" && RETRY_SAFE.has(answer.failure.detail)) answer = await send();
    if (!answer.ok) return answer;
    // A failed-closed command (503 store_unavailable) is still a decision with a message.
    if (isCommandResult(answer.value.body)) return { ok: true, value: answer.value.body };
    return { ok: false, failure: httpFailure(this.server, answer.value) };
  }

  async getDeploy(id: string, signal?: AbortSignal): Promise<ApiResult<DeployView>> {
    const answer = await this.requestJson(`/api/v1/deploys/${encodeURIComponent(id)}`, signal);
    if (!answer.ok) return answer;
    if (answer.value.status === 200 && isDeployView(answer.value.body)) return { ok: true, value: answer.value.body };
    return { ok: false, failure: httpFailure(this.server, answer.value) };
  }

  /** One page of the audit log; `query` holds the filters and the cursor, as the API names them. */
  async getAudit(query: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<ApiResult<AuditPage>> {
    const answer = await this.requestJson(`/api/v1/audit?${new URLSearchParams(query).toString()}`, signal);
    if (!answer.ok) return answer;
    if (answer.value.status === 200 && isAuditPage(answer.value.body)) return { ok: true, value: answer.value.body };
    return { ok: false, failure: httpFailure(this.server, answer.value) };
  }

  /**
   * Opens the deploy's event stream. `signal` also ends the stream; `onActivity` fires for every
   * chunk (heartbeats too) so the caller can notice a stream that went silent.
   */
  async openEvents(id: string, signal: AbortSignal, onActivity: () => void): Promise<ApiResult<AsyncGenerator<ServerSentEvent>>> {
    const answer = await this.send(`/api/v1/deploys/${encodeURIComponent(id)}/events`, signal, { headers: { Accept: "text/event-stream" } }, false);
    if (!answer.ok) return answer;
    const res = answer.value;
    if (res.status === 200 && (res.headers.get("content-type") ?? "").startsWith("text/event-stream") && res.body) {
      return { ok: true, value: readEventStream(res.body as AsyncIterable<Uint8Array>, onActivity) };
    }
    const body = await res.text().then(parseJson, () => undefined);
    return { ok: false, failure: httpFailure(this.server, { status: res.status, statusText: res.statusText, body }) };
  }

  private async requestJson(path: string, signal: AbortSignal | undefined, init: RequestOptions = {}): Promise<ApiResult<JsonAnswer>> {
    const answer = await this.send(path, signal, init, true);
    if (!answer.ok) return answer;
    const res = answer.value;
    return { ok: true, value: { status: res.status, statusText: res.statusText, body: parseJson(answer.text ?? "") } };
  }

  /** One request; the timeout covers the whole body unless the body is a stream read later. */
  private async send(
    path: string,
    signal: AbortSignal | undefined,
    init: RequestOptions,
    readBody: boolean,
  ): Promise<ApiResult<Response> & { text?: string }> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.options.requestTimeoutMs);
    try {
      const response = await this.options.fetch(`${this.server}${path}`, {
        method: init.method ?? "GET",
        headers: { Authorization: `Bearer ${this.settings.token}`, Accept: "application/json", ...init.headers },
        ...(init.body !== undefined ? { body: init.body } : {}),
        signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal,
      });
      return readBody ? { ok: true, value: response, text: await response.text() } : { ok: true, value: response };
    } catch (error) {
      if (signal?.aborted) return { ok: false, failure: { kind: "aborted" } };
      if (timeout.signal.aborted) {
        return { ok: false, failure: { kind: "timeout", server: this.server, seconds: Math.round(this.options.requestTimeoutMs / 1000) } };
      }
      return { ok: false, failure: { kind: "unreachable", server: this.server, detail: connectionDetail(error) } };
    } finally {
      clearTimeout(timer);
    }
  }
}

interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

interface JsonAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly body: unknown;
}

const RETRY_SAFE = new Set(["connection reset", "connection closed"]);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function httpFailure(server: string, answer: JsonAnswer): ApiFailure {
  const error = (answer.body as { error?: unknown } | undefined)?.error;
  const message =
    typeof error === "string"
      ? error
      : answer.status === 200
        ? `an answer the CLI does not understand; is ${server} a Whistlestop server?`
        : `${answer.status} ${answer.statusText}`.trim();
  return { kind: "http", server, status: answer.status, message };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function isCommandResult(value: unknown): value is ApiCommandResult {
  return isObject(value) && typeof value.outcome === "string" && typeof value.message === "string";
}

export interface AuditPage {
  readonly entries: readonly AuditRecord[];
  readonly next: string | null;
}

function isAuditPage(value: unknown): value is AuditPage {
  return isObject(value) && Array.isArray(value.entries) && (value.next === null || typeof value.next === "string");
}

function isDeployView(value: unknown): value is DeployView {
  return isObject(value) && typeof value.id === "string" && typeof value.state === "string" && Array.isArray(value.stages);
}

/** What went wrong and what to do about it, for stderr. */
export function describeApiFailure(failure: ApiFailure): string {
  switch (failure.kind) {
    case "unreachable":
      return (
        `Cannot reach the Whistlestop server at ${failure.server} (${failure.detail}). ` +
        `Start it with "npm start" (the local sandbox), or point the CLI at a running server with --server URL or WHISTLESTOP_SERVER.`
      );
    case "timeout":
      return `The Whistlestop server at ${failure.server} did not answer within ${failure.seconds}s. Check that it is healthy (GET ${failure.server}/readyz) and try again.`;
    case "aborted":
      return "Stopped.";
    case "http":
      if (failure.status === 401 || failure.status === 403) {
        return `The server at ${failure.server} refused the token: ${failure.message} Check --token or WHISTLESTOP_TOKEN (the sandbox prints its token when it starts).`;
      }
      return `The server at ${failure.server} answered ${failure.status}: ${failure.message}`;
  }
}
