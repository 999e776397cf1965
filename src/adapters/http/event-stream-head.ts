import type { ServerResponse } from "node:http";

const EVENT_STREAM_TYPE = "text/event-stream; charset=utf-8";

/**
 * Starts a server-sent event stream. The headers are set one by one (not passed to writeHead), so
 * the server can read them back: an open stream is neither a request being answered (which holds
 * background polls back) nor a latency in the request metrics.
 */
export function writeEventStreamHead(res: ServerResponse): void {
  res.setHeader("Content-Type", EVENT_STREAM_TYPE);
  res.setHeader("Cache-Control", "no-cache, no-transform");
  res.setHeader("Connection", "keep-alive");
  // Proxies such as nginx must pass each event on at once.
  res.setHeader("X-Accel-Buffering", "no");
  res.writeHead(200);
}

/** Whether a response is an event stream (see writeEventStreamHead). */
export function isEventStream(res: ServerResponse): boolean {
  return String(res.getHeader("content-type") ?? "").startsWith("text/event-stream");
}
