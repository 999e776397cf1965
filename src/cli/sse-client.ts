/** One dispatched server-sent event. `event` is "message" when the server named none. */
export interface ServerSentEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/**
 * An incremental text/event-stream parser (the WHATWG rules the CLI needs): lines end in LF, CR
 * or CRLF — also when a CRLF is split across two chunks; `:` lines are comments (heartbeats);
 * `data:` lines accumulate; a blank line dispatches; an event cut off by the end of the stream
 * is dropped.
 */
export class SseParser {
  private buffer = "";
  private afterCr = false;
  private atStart = true;
  private eventType = "";
  private data: string[] = [];
  private eventId: string | undefined;
  private lastId: string | undefined;
  private retry: number | undefined;

  /** The last `id:` seen, for a Last-Event-ID header on reconnect. */
  get lastEventId(): string | undefined {
    return this.lastId;
  }

  /** The server's `retry:` advice in milliseconds. */
  get retryMs(): number | undefined {
    return this.retry;
  }

  /** Feeds decoded text; returns the events completed by it. */
  push(chunk: string): ServerSentEvent[] {
    let text = chunk;
    if (this.atStart && text.length > 0) {
      this.atStart = false;
      if (text.startsWith("\uFEFF")) text = text.slice(1);
    }
    if (this.afterCr && text.startsWith("\n")) text = text.slice(1);
    this.afterCr = false;
    this.buffer += text;
    const events: ServerSentEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (ch !== "\n" && ch !== "\r") continue;
      const event = this.line(this.buffer.slice(start, i));
      if (event) events.push(event);
      if (ch === "\r") {
        if (i + 1 === this.buffer.length) this.afterCr = true;
        else if (this.buffer[i + 1] === "\n") i++;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.eventType = value;
        break;
      case "data":
        this.data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) this.eventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        // Unknown fields are ignored, as browsers do.
        break;
    }
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    if (this.eventId !== undefined) this.lastId = this.eventId;
    const hasData = this.data.length > 0;
    const event: ServerSentEvent = {
      event: this.eventType || "message",
      data: this.data.join("\n"),
      ...(this.lastId !== undefined ? { id: this.lastId } : {}),
    };
    this.eventType = "";
    this.data = [];
    this.eventId = undefined;
    return hasData ? event : undefined;
  }
}

/**
 * The events of a response body (fetch's ReadableStream, or any async iterable of bytes/text).
 * `onActivity` fires for every chunk, heartbeat comments included, so a caller can detect a
 * stream that went silent. Leaving the loop early cancels the body.
 */
export async function* readEventStream(
  body: AsyncIterable<Uint8Array | string>,
  onActivity: () => void = () => {},
): AsyncGenerator<ServerSentEvent> {
  const parser = new SseParser();
  const decoder = new TextDecoder("utf-8");
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      onActivity();
      const text = typeof next.value === "string" ? next.value : decoder.decode(next.value, { stream: true });
      yield* parser.push(text);
    }
    yield* parser.push(decoder.decode());
  } finally {
    // Cancels the body when the caller stopped early; a body that already failed has nothing to cancel.
    await iterator.return?.().catch(() => undefined);
  }
}
