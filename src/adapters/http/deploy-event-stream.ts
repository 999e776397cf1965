import type { ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { DeployView } from "../../core/commands/command-result.js";
import type { CommandRunner } from "../../core/commands/command-runner.js";
import { FINAL_STATES, type Deploy, type DeployState } from "../../core/model/deploy.js";
import type { DeployEvent } from "../../core/ports/notifier.js";
import { STORE_UNAVAILABLE_READ_MESSAGE } from "../../core/commands/store-unavailable.js";
import { HttpError } from "./http-error.js";
import { writeEventStreamHead } from "./event-stream-head.js";

/** The EventHub's subscribe side. */
export interface DeployEventSource {
  subscribe(deployId: string, listener: (event: DeployEvent) => void): () => void;
}

export interface DeployEventStreamOptions {
  readonly runner: Pick<CommandRunner, "getDeploy">;
  readonly events: DeployEventSource;
  readonly toView: (deploy: Deploy) => DeployView;
  /** Comment lines that keep proxies from closing a quiet stream; default 15 s. */
  readonly heartbeatMs?: number;
  /** Re-read from the store, for events that happened on another replica; default 5 s. */
  readonly pollMs?: number;
  readonly now?: () => Date;
  /** Registers a callback for server shutdown; returns its unregister function. */
  readonly onDrain: (listener: () => void) => () => void;
  readonly logger: Logger;
}

export type StreamEndReason = "final" | "gone" | "shutting_down";

const isFinalState = (state: string): boolean => FINAL_STATES.includes(state as DeployState);

/**
 * Server-sent events for one deploy: a `snapshot` with its current view, then one message per
 * DeployEvent (`event: <type>`, data {type, note?, at, deploy}), and a `snapshot` whenever the
 * periodic store re-read differs from what was last sent; `end` (data {reason, state}) before closing.
 * Throws HttpError (404, 503) before anything is written, so the caller answers in JSON.
 */
export async function streamDeployEvents(res: ServerResponse, deployId: string, options: DeployEventStreamOptions): Promise<void> {
  const now = options.now ?? (() => new Date());
  const pending: DeployEvent[] = [];
  let open = false;
  let ended = false;
  let lastSent = "";
  let lastState = "";
  let sends = 0;
  let polling = false;
  const timers: NodeJS.Timeout[] = [];
  let stopDrainListener = (): void => {};

  const write = (name: string, data: unknown) => {
    if (ended || res.destroyed) return;
    res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const sendView = (name: string, view: DeployView, extra: { note?: string; at: string }) => {
    sends += 1;
    lastSent = JSON.stringify(view);
    lastState = view.state;
    write(name, { type: name, ...(extra.note ? { note: extra.note } : {}), at: extra.at, deploy: view });
    if (isFinalState(view.state)) end("final");
  };
  const cleanup = () => {
    ended = true;
    unsubscribe();
    stopDrainListener();
    for (const timer of timers) clearInterval(timer);
  };
  const end = (reason: StreamEndReason) => {
    if (ended) return;
    write("end", { reason, state: lastState });
    cleanup();
    res.end();
  };
  const onEvent = (event: DeployEvent) => {
    if (!open) return void pending.push(event);
    sendView(event.type, options.toView(event.deploy), { ...(event.note ? { note: event.note } : {}), at: event.at });
  };
  const poll = async () => {
    if (polling || ended) return;
    polling = true;
    const sendsBefore = sends;
    try {
      const view = await options.runner.getDeploy(deployId);
      // An event sent while reading is at least as new as what was read.
      if (ended || sends !== sendsBefore) return;
      if (!view) return end("gone");
      if (JSON.stringify(view) !== lastSent) sendView("snapshot", view, { at: now().toISOString() });
    } catch (error) {
      options.logger.warn({ err: error, deployId }, "could not re-read a streamed deploy; the stream goes on");
    } finally {
      polling = false;
    }
  };

  // Subscribe before reading, so nothing stored between the read and the subscription is missed.
  const unsubscribe = options.events.subscribe(deployId, onEvent);
  let initial: DeployView | undefined;
  try {
    initial = await options.runner.getDeploy(deployId);
  } catch (error) {
    unsubscribe();
    options.logger.error({ err: error, deployId }, "could not read a deploy for its event stream");
    throw new HttpError(503, STORE_UNAVAILABLE_READ_MESSAGE, { "Retry-After": "60" });
  }
  if (!initial) {
    unsubscribe();
    throw new HttpError(404, `No deploy with id "${deployId}". List recent deploys with GET /api/v1/deploys?service=<service>&env=<env>.`);
  }

  writeEventStreamHead(res);
  res.on("close", cleanup);
  stopDrainListener = options.onDrain(() => end("shutting_down"));
  open = true;
  sendView("snapshot", initial, { at: now().toISOString() });
  for (const event of pending.splice(0)) if (!ended) onEvent(event);
  if (ended) return;
  const heartbeat = setInterval(() => !ended && !res.destroyed && res.write(": heartbeat\n\n"), options.heartbeatMs ?? 15_000);
  const reread = setInterval(() => void poll(), options.pollMs ?? 5_000);
  timers.push(heartbeat, reread);
}
