import type { Duplex } from "node:stream";

/** How long a refused client may keep sending before its connection is dropped. */
const LINGER_MS = 5_000;

/** node:http's parser codes for requests it cannot read, and what the client should do about them. */
const ANSWERS: Readonly<Record<string, { status: number; reason: string; error: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: "Request Header Fields Too Large", error: "The request's headers are larger than 16 KiB; send smaller headers." },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: "Request Timeout", error: "The request was not received in time; send it again, whole." },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, reason: "Payload Too Large", error: "The request's chunk extensions are too large." },
};
const MALFORMED = { status: 400, reason: "Bad Request", error: "The request is not valid HTTP/1.1; check the client sending it." };

/**
 * The server's `clientError` listener: a request node's parser refused gets a JSON answer saying
 * why, then the connection is half-closed. Node's own answer destroys the socket at once, and
 * while the client is still sending (a large header section), the unread bytes make the kernel
 * reset the connection, which can discard the answer before the client reads it.
 */
export function answerClientError(error: Error & { code?: string; rawPacket?: unknown }, socket: Duplex): void {
  if (answered.has(socket)) return;
  answered.add(socket);
  socket.on("error", () => socket.destroy());
  if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
  const answer = ANSWERS[error.code ?? ""] ?? MALFORMED;
  const body = JSON.stringify({ error: answer.error });
  // An answer to HEAD has no body: a client reads the bytes after the header section as a second,
  // unasked-for response and fails ("Data after `Connection: close`") instead of seeing the refusal.
  const method = requestMethod(error.rawPacket);
  const sent = method !== undefined && method !== "HEAD" ? body : "";
  socket.end(
    `HTTP/1.1 ${answer.status} ${answer.reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(sent)}\r\n\r\n${sent}`,
  );
  // Whatever else the client sends is read and dropped, so the close is a FIN, not a reset.
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/**
 * The method of the request the parser refused, read from the bytes it was parsing when they begin
 * with a request line. Undefined when they don't (a later chunk of a long header section): then the
 * answer goes without a body, which is correct HTTP whatever the method was.
 */
function requestMethod(rawPacket: unknown): string | undefined {
  if (!Buffer.isBuffer(rawPacket)) return undefined;
  return /^([A-Z]+) \S/.exec(rawPacket.subarray(0, 32).toString("latin1"))?.[1];
}

/** The parser may report a socket more than once as it keeps receiving; it is answered once. */
const answered = new WeakSet<Duplex>();
