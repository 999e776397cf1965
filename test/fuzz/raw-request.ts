import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import { connect } from "node:net";

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: OutgoingHttpHeaders;
  /** Sent as is; a `Content-Length` is added unless `chunked` or the headers set one. */
  readonly body?: Buffer | string;
  /** Stream `streamBytes` zero-filled bytes chunked (no Content-Length) or under the given headers. */
  readonly streamBytes?: number;
  /** With streamBytes: false leaves the body unfinished, as a client that stalls mid-upload. */
  readonly finish?: boolean;
  readonly chunked?: boolean;
  /** Longest wait for the status line; default 5 s. */
  readonly timeoutMs?: number;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed when it is JSON. */
  readonly json?: unknown;
  /** The server reset or closed the connection while the request was still being written. */
  readonly uploadCut: boolean;
}

const CHUNK = Buffer.alloc(64 * 1024);

/**
 * One request on its own connection, through node:http without the conveniences of fetch: any
 * method, headers as given, bodies larger than the server accepts. It resolves with the answer
 * even when the server stops reading the body and closes the connection (the refusal is what
 * the test wants to see), and rejects only when no status line arrives at all.
 */
export function sendRaw(baseUrl: string, options: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let uploadCut = false;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const headers: OutgoingHttpHeaders = { ...options.headers };
    if (options.chunked) headers["transfer-encoding"] = "chunked";
    const req = request({
      host: url.hostname,
      port: url.port,
      method: options.method,
      path: options.path,
      headers,
      agent: false,
      // Header values arrive here exactly as the test built them.
      insecureHTTPParser: false,
    });
    const timer = setTimeout(() => {
      fail(new Error(`no answer to ${options.method} ${options.path.slice(0, 80)} within ${options.timeoutMs ?? 5000} ms`));
      req.destroy();
    }, options.timeoutMs ?? 5000);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      const done = () => {
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        if (String(res.headers["content-type"] ?? "").includes("json")) {
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, ...(json !== undefined ? { json } : {}), uploadCut });
        req.destroy();
      };
      res.on("end", done);
      res.on("error", done);
      res.on("close", done);
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (["EPIPE", "ECONNRESET"].includes(error.code ?? "")) uploadCut = true;
      // An answer may still be on its way (a 413 sent before the reset); the timer decides.
      if (!req.headersSent || !uploadCut) fail(error);
    });
    if (options.streamBytes !== undefined) return void writeStream(req, options.streamBytes, options.finish ?? true);
    if (options.body !== undefined && !options.chunked && headers["content-length"] === undefined) {
      req.setHeader("content-length", Buffer.byteLength(options.body));
    }
    req.end(options.body);
  });
}

/** Writes `total` bytes as fast as the socket takes them, stopping quietly once it is closed. */
function writeStream(req: ReturnType<typeof request>, total: number, finish: boolean): void {
  let sent = 0;
  const pump = () => {
    while (sent < total && !req.destroyed) {
      const size = Math.min(CHUNK.length, total - sent);
      sent += size;
      if (!req.write(CHUNK.subarray(0, size))) return void req.once("drain", pump);
    }
    if (!req.destroyed && finish) req.end();
  };
  pump();
}

/**
 * Writes `text` on a fresh TCP connection and collects whatever comes back until the server
 * closes it or `waitMs` passes: for requests node's client will not send (CONNECT answered in
 * the open, malformed framing).
 */
export function sendRawText(baseUrl: string, text: string, waitMs = 2000): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    let answer = "";
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on("data", (data: Buffer) => (answer += data.toString("latin1")));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}
