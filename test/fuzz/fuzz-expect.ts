import type { OutgoingHttpHeaders } from "node:http";
import type { RawResponse } from "./raw-request.js";

/** A refusal that tells the caller what was wrong: 4xx with `{"error": "<a sentence>"}`. */
export function expectJsonError(response: RawResponse, statuses: readonly number[]): void {
  if (!statuses.includes(response.status)) {
    throw new Error(`expected status ${statuses.join(" or ")}, got ${response.status}: ${response.text.slice(0, 300)}`);
  }
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  const error = (response.json as { error?: unknown } | undefined)?.error;
  expect(typeof error).toBe("string");
  expect((error as string).length).toBeGreaterThan(10);
}

/** Node refuses header sections over 16 KiB itself (431); under that every request must reach the app. */
export function headerBytes(path: string, headers: OutgoingHttpHeaders): number {
  return path.length + Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + String(value ?? "").length + 4, 0);
}

export const NODE_HEADER_LIMIT = 16 * 1024;

/** True when `response` is node's own 431 for an oversized header section, which only such sections may get. */
export function isHeaderOverflow(response: RawResponse, path: string, headers: OutgoingHttpHeaders): boolean {
  const size = headerBytes(path, headers);
  if (response.status === 431) {
    expect(size).toBeGreaterThan(NODE_HEADER_LIMIT - 2048);
    return true;
  }
  return false;
}
