import type { ServerResponse } from "node:http";
import type { DeployEventFeed } from "../../ports/surface.js";
import { writeEventStreamHead } from "../http/event-stream-head.js";

export interface BoardStreamOptions {
  readonly feed?: DeployEventFeed;
  /** Registers a callback for server shutdown; returns its unregister function. */
  readonly onDrain?: (listener: () => void) => () => void;
  /** Comment lines that keep proxies from closing a quiet stream; default 15 s. */
  readonly heartbeatMs?: number;
  /**
   * A `tick` this often makes open pages re-read the store, for what happens on other replicas
   * and for locks (which are not deploy events); default 10 s.
   */
  readonly tickMs?: number;
}

/**
 * Server-sent events for the dashboard's pages: `deploy` (data {id, service, env, state, type})
 * whenever this replica stores a change to any deploy, and `tick` now and then. The client script
 * re-reads the page on each, so the page itself stays the one place that decides what is shown.
 */
export function streamBoardEvents(res: ServerResponse, options: BoardStreamOptions): void {
  let ended = false;
  writeEventStreamHead(res);
  const write = (chunk: string) => {
    if (!ended && !res.destroyed) res.write(chunk);
  };
  write("retry: 3000\n\n");
  const unsubscribe =
    options.feed?.subscribeAll((event) => {
      const { id, service, env, state } = event.deploy;
      write(`event: deploy\ndata: ${JSON.stringify({ id, service, env, state, type: event.type })}\n\n`);
    }) ?? (() => {});
  const heartbeat = setInterval(() => write(": heartbeat\n\n"), options.heartbeatMs ?? 15_000);
  const tick = setInterval(() => write("event: tick\ndata: {}\n\n"), options.tickMs ?? 10_000);
  const cleanup = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    stopDrain();
    clearInterval(heartbeat);
    clearInterval(tick);
  };
  const stopDrain =
    options.onDrain?.(() => {
      write("event: end\ndata: {\"reason\":\"shutting_down\"}\n\n");
      cleanup();
      res.end();
    }) ?? (() => {});
  res.on("close", cleanup);
}
