import type { ApiFailure } from "../cli/api-client.js";
import type { ApiCommandResult } from "../core/commands/api-command-result.js";

/** A command's answer; `deployable` comes with /api/v1/check. */
export type ActionResult = ApiCommandResult & { readonly deployable?: boolean };

export type CommandAnswer = { readonly ok: true; readonly result: ActionResult } | { readonly ok: false; readonly failure: ApiFailure };

export interface ActionApiOptions {
  readonly server: string;
  readonly token: string;
  readonly fetch: typeof fetch;
  readonly requestTimeoutMs: number;
  /** Waits before each retry of a request that got no decision (connection trouble, 502–504). */
  readonly retryDelaysMs: readonly number[];
  readonly sleep: (ms: number) => Promise<void>;
}

const RETRY_STATUS = new Set([502, 503, 504]);

/**
 * POSTs commands the way a workflow should: with the workflow's actor, and an Idempotency-Key
 * that makes every retry (here, or of the whole step in the same run attempt) safe.
 */
export class ActionApi {
  constructor(private readonly options: ActionApiOptions) {}

  async post(path: "/api/v1/commands" | "/api/v1/check", body: { text: string; githubActor?: string }, idempotencyKey?: string): Promise<CommandAnswer> {
    const { retryDelaysMs, sleep } = this.options;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.once(path, body, idempotencyKey);
      // Without a key a retried POST could run twice; only a check is safe to repeat anyway.
      const retryable = idempotencyKey !== undefined || path === "/api/v1/check";
      const delay = retryDelaysMs[attempt];
      if (answer.ok || !retryable || delay === undefined || !isTransient(answer.failure)) return answer;
      await sleep(delay);
    }
  }

  private async once(path: string, body: object, idempotencyKey: string | undefined): Promise<CommandAnswer> {
    const { server, token, requestTimeoutMs } = this.options;
    let response: Response;
    let text: string;
    try {
      response = await this.options.fetch(`${server}${path}`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
          Accept: "application/json",
          ...(idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      text = await response.text();
    } catch (error) {
      if ((error as { name?: string } | undefined)?.name === "TimeoutError") {
        return { ok: false, failure: { kind: "timeout", server, seconds: Math.round(requestTimeoutMs / 1000) } };
      }
      return { ok: false, failure: { kind: "unreachable", server, detail: connectionDetail(error) } };
    }
    const parsed = parseJson(text);
    // A failed-closed command (503 store_unavailable) is still a decision with a message.
    if (isResult(parsed)) return { ok: true, result: parsed };
    const error = (parsed as { error?: unknown } | undefined)?.error;
    const message =
      typeof error === "string" ? error : response.ok ? `an answer that is not Whistlestop's; is ${server} a Whistlestop server?` : `${response.status} ${response.statusText}`.trim();
    return { ok: false, failure: { kind: "http", server, status: response.status, message } };
  }
}

function isTransient(failure: ApiFailure): boolean {
  return failure.kind === "unreachable" || failure.kind === "timeout" || (failure.kind === "http" && RETRY_STATUS.has(failure.status));
}

function connectionDetail(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isResult(value: unknown): value is ActionResult {
  if (typeof value !== "object" || value === null) return false;
  const fields = value as Record<string, unknown>;
  return typeof fields.outcome === "string" && typeof fields.message === "string";
}

/** What went wrong and what the workflow's author can do about it. */
export function describeFailure(failure: ApiFailure): string {
  switch (failure.kind) {
    case "unreachable":
      return `Cannot reach the Whistlestop server at ${failure.server} (${failure.detail}). Check the server-url input, and that this runner can reach the server.`;
    case "timeout":
      return `The Whistlestop server at ${failure.server} did not answer within ${failure.seconds}s. Check that it is healthy (GET ${failure.server}/readyz) and re-run the job.`;
    case "aborted":
      return "Stopped before the server answered.";
    case "http":
      if (failure.status === 401 || failure.status === 403) {
        return (
          `The Whistlestop server at ${failure.server} refused the token (${failure.status}): ${failure.message} ` +
          `Check the token input: it must be one of the tokens in WHISTLESTOP_API_TOKENS on the server, passed from a secret (e.g. \${{ secrets.WHISTLESTOP_TOKEN }}).`
        );
      }
      return `The Whistlestop server at ${failure.server} answered ${failure.status}: ${failure.message}`;
  }
}
