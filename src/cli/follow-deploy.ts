import type { DeployView } from "../core/commands/command-result.js";
import type { ApiClient, ApiFailure } from "./api-client.js";
import type { CliTiming } from "./cli-io.js";
import type { DeployUpdate } from "./progress-printer.js";
import { isFinalView } from "./progress-view.js";
import type { ServerSentEvent } from "./sse-client.js";

export interface FollowDeployOptions {
  readonly api: Pick<ApiClient, "openEvents" | "getDeploy" | "server">;
  readonly deployId: string;
  readonly onUpdate: (update: DeployUpdate) => void;
  /** Connection trouble worth telling the user about. */
  readonly onNotice: (text: string) => void;
  /** Ctrl-C: stop following (the deploy goes on). */
  readonly signal: AbortSignal;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly timing: Pick<CliTiming, "reconnectDelaysMs" | "pollMs" | "maxPollFailures" | "idleTimeoutMs">;
}

export type FollowResult =
  | { readonly kind: "final"; readonly deploy: DeployView }
  | { readonly kind: "interrupted"; readonly deploy?: DeployView }
  | { readonly kind: "lost"; readonly failure: ApiFailure; readonly deploy?: DeployView };

type StreamOutcome =
  | { readonly kind: "final"; readonly deploy: DeployView }
  | { readonly kind: "interrupted" }
  | { readonly kind: "fatal"; readonly failure: ApiFailure }
  | { readonly kind: "dropped"; readonly why: string; readonly progressed: boolean };

/** Answers that another attempt will not change. */
const isFatal = (failure: ApiFailure): boolean => failure.kind === "http" && failure.status >= 400 && failure.status < 500 && failure.status !== 408 && failure.status !== 429;

function parseData(event: ServerSentEvent): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(event.data);
    return typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function parseUpdate(event: ServerSentEvent): DeployUpdate | undefined {
  const { deploy, note, at } = parseData(event) as { deploy?: DeployView; note?: unknown; at?: unknown };
  if (!deploy || typeof deploy !== "object" || typeof deploy.state !== "string" || !Array.isArray(deploy.stages)) return undefined;
  return { type: event.event, deploy, ...(typeof note === "string" ? { note } : {}), ...(typeof at === "string" ? { at } : {}) };
}

const seconds = (ms: number): string => (ms < 1000 ? `${ms}ms` : `${Math.round(ms / 100) / 10}s`);

/**
 * Follows a deploy to its end: the event stream first, re-opened with backoff when it drops
 * (a snapshot on each connection catches up), then polling GET /api/v1/deploys/:id when the
 * stream cannot be had.
 */
export async function followDeploy(options: FollowDeployOptions): Promise<FollowResult> {
  const { signal, timing } = options;
  let last: DeployView | undefined;
  const deliver = (update: DeployUpdate) => {
    last = update.deploy;
    options.onUpdate(update);
  };

  let failures = 0;
  for (;;) {
    const outcome = await streamOnce(options, deliver, () => last);
    if (outcome.kind === "final") return outcome;
    if (outcome.kind === "interrupted") return { kind: "interrupted", ...(last ? { deploy: last } : {}) };
    if (outcome.kind === "fatal") return { kind: "lost", failure: outcome.failure, ...(last ? { deploy: last } : {}) };
    if (outcome.progressed) failures = 0;
    const delay = timing.reconnectDelaysMs[failures++];
    if (delay === undefined) break;
    options.onNotice(`Lost the event stream (${outcome.why}); reconnecting in ${seconds(delay)}…`);
    await options.sleep(delay, signal);
    if (signal.aborted) return { kind: "interrupted", ...(last ? { deploy: last } : {}) };
  }

  options.onNotice(`Could not re-open the event stream; checking the deploy every ${seconds(timing.pollMs)} instead.`);
  let pollFailures = 0;
  for (;;) {
    const answer = await options.api.getDeploy(options.deployId, signal);
    if (signal.aborted) return { kind: "interrupted", ...(last ? { deploy: last } : {}) };
    if (answer.ok) {
      pollFailures = 0;
      if (JSON.stringify(answer.value) !== JSON.stringify(last)) deliver({ type: "snapshot", deploy: answer.value });
      if (isFinalView(answer.value)) return { kind: "final", deploy: answer.value };
    } else if (isFatal(answer.failure) || ++pollFailures >= timing.maxPollFailures) {
      return { kind: "lost", failure: answer.failure, ...(last ? { deploy: last } : {}) };
    }
    await options.sleep(timing.pollMs, signal);
    if (signal.aborted) return { kind: "interrupted", ...(last ? { deploy: last } : {}) };
  }
}

/** One connection to the event stream, until the deploy is final or the stream ends. */
async function streamOnce(
  options: FollowDeployOptions,
  deliver: (update: DeployUpdate) => void,
  current: () => DeployView | undefined,
): Promise<StreamOutcome> {
  const { signal } = options;
  if (signal.aborted) return { kind: "interrupted" };
  const connection = new AbortController();
  const stopOnInterrupt = () => connection.abort();
  signal.addEventListener("abort", stopOnInterrupt, { once: true });
  let idle = false;
  let idleTimer: NodeJS.Timeout | undefined;
  const resetIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      idle = true;
      connection.abort();
    }, options.timing.idleTimeoutMs);
  };
  const before = JSON.stringify(current());
  const progressed = () => JSON.stringify(current()) !== before;
  try {
    resetIdle();
    const opened = await options.api.openEvents(options.deployId, connection.signal, resetIdle);
    if (signal.aborted) return { kind: "interrupted" };
    if (!opened.ok) {
      if (opened.failure.kind === "aborted" && idle) return { kind: "dropped", why: "the server sent nothing", progressed: false };
      if (isFatal(opened.failure)) return { kind: "fatal", failure: opened.failure };
      return { kind: "dropped", why: describeDrop(opened.failure), progressed: false };
    }
    for await (const event of opened.value) {
      if (event.event === "end") {
        const reason = parseData(event).reason;
        if (reason === "gone") {
          const message = `deploy ${options.deployId} is no longer on the server.`;
          return { kind: "fatal", failure: { kind: "http", server: options.api.server, status: 404, message } };
        }
        const view = current();
        if (view && isFinalView(view)) return { kind: "final", deploy: view };
        return { kind: "dropped", why: reason === "shutting_down" ? "the server is restarting" : "the server ended it", progressed: progressed() };
      }
      const update = parseUpdate(event);
      if (!update) continue;
      deliver(update);
      if (isFinalView(update.deploy)) return { kind: "final", deploy: update.deploy };
    }
    if (signal.aborted) return { kind: "interrupted" };
    return { kind: "dropped", why: idle ? "the server went quiet" : "the connection closed", progressed: progressed() };
  } catch (error) {
    if (signal.aborted) return { kind: "interrupted" };
    const why = idle ? "the server went quiet" : error instanceof Error ? error.message : String(error);
    return { kind: "dropped", why, progressed: progressed() };
  } finally {
    clearTimeout(idleTimer);
    signal.removeEventListener("abort", stopOnInterrupt);
    connection.abort();
  }
}

function describeDrop(failure: ApiFailure): string {
  switch (failure.kind) {
    case "unreachable":
      return failure.detail;
    case "timeout":
      return `no answer within ${failure.seconds}s`;
    case "http":
      return `the server answered ${failure.status}`;
    case "aborted":
      return "stopped";
  }
}
