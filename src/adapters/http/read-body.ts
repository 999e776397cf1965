import type { IncomingMessage } from "node:http";
import { HttpError } from "./http-error.js";

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

const tooLarge = (limitBytes: number) =>
  new HttpError(413, `The request body is larger than ${limitBytes} bytes, the most this endpoint reads; nothing was done with it.`, { Connection: "close" });

/**
 * Reads the whole body, refusing (413) before buffering anything when Content-Length is over
 * the limit, and as soon as a streamed (chunked) body crosses it. The request is not
 * destroyed on refusal so the 413 can still be sent; `Connection: close` ends the socket after it.
 */
export function readBody(req: IncomingMessage, limitBytes = DEFAULT_BODY_LIMIT_BYTES): Promise<Buffer> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limitBytes) return Promise.reject(tooLarge(limitBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) return void chunks.push(chunk);
      cleanup();
      // Keep discarding what is already in flight so the socket is not reset under the 413.
      req.resume();
      reject(tooLarge(limitBytes));
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new HttpError(400, "The client closed the connection before the body was complete."));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
