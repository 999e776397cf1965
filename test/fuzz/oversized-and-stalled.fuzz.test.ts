import type { Socket } from "node:net";
import { connect } from "node:net";
import { TEST_TOKEN } from "../kit/test-app.js";
import { PIPELINE_EVENTS_TOKEN, startFuzzApp, type Footprint, type FuzzApp } from "./fuzz-app.js";
import { expectJsonError } from "./fuzz-expect.js";
import { sendRaw, sendRawText } from "./raw-request.js";

/**
 * Bodies over a sane size are refused with 413 before they are read: on every POST
 * endpoint, declared by Content-Length or streamed chunked, whether or not the client ever
 * finishes sending. And a client that never finishes its request holds up nobody else.
 */
let app: FuzzApp;
let start: Footprint;

beforeAll(async () => {
  app = await startFuzzApp();
  start = await app.footprint();
});

afterAll(async () => {
  const end = await app.close();
  expect({ deploys: end.deploys, locks: end.locks, executions: end.executions }).toEqual({ deploys: 0, locks: 0, executions: 0 });
});

const MiB = 1024 * 1024;
const HUGE = 5 * MiB;
const json = { "content-type": "application/json" };

/** Each POST endpoint with headers that pass its checks up to the body, and the most it reads. */
const ENDPOINTS = [
  { path: "/api/v1/commands", headers: { ...json, authorization: `Bearer ${TEST_TOKEN}` }, limit: MiB },
  { path: "/api/v1/check", headers: { ...json, authorization: `Bearer ${TEST_TOKEN}` }, limit: MiB },
  { path: "/api/pipeline-events", headers: { ...json, "x-whistlestop-token": PIPELINE_EVENTS_TOKEN }, limit: 64 * 1024 },
  { path: "/slack/events", headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": "1", "x-slack-signature": "v0=0" }, limit: 512 * 1024 },
  { path: "/api/github/webhooks", headers: { ...json, "x-github-event": "issue_comment", "x-github-delivery": "d-1", "x-hub-signature-256": "sha256=0" }, limit: 2 * MiB },
] as const;

function expectRefusedAsTooLarge(response: Awaited<ReturnType<typeof sendRaw>>): void {
  expectJsonError(response, [413]);
  expect((response.json as { error: string }).error).toMatch(/larger than \d+ bytes/);
  // The rest of the body is not drained over a kept-alive connection.
  expect(response.headers.connection).toBe("close");
}

describe.each(ENDPOINTS)("POST $path", ({ path, headers, limit }) => {
  it("refuses a 5 MiB Content-Length at once, without waiting for the body", async () => {
    // Only a little of the body is ever sent: an answer proves the server did not wait for the rest.
    const response = await sendRaw(app.url, { method: "POST", path, headers: { ...headers, "content-length": String(HUGE) }, streamBytes: 16 * 1024, finish: false });
    expectRefusedAsTooLarge(response);
  });

  it("refuses a chunked body as soon as it crosses the limit, without waiting for its end", async () => {
    const response = await sendRaw(app.url, { method: "POST", path, headers, chunked: true, streamBytes: limit + 64 * 1024, finish: false });
    expectRefusedAsTooLarge(response);
  });

  it("refuses a whole 5 MiB body, with and without Content-Length", async () => {
    expectRefusedAsTooLarge(await sendRaw(app.url, { method: "POST", path, headers: { ...headers, "content-length": String(HUGE) }, streamBytes: HUGE }));
    expectRefusedAsTooLarge(await sendRaw(app.url, { method: "POST", path, headers, chunked: true, streamBytes: HUGE }));
  });

  it("reads a body just under the limit (and refuses it for what it says, not for its size)", async () => {
    const response = await sendRaw(app.url, { method: "POST", path, headers: { ...headers, "content-length": String(limit - 1024) }, streamBytes: limit - 1024 });
    expect(response.status).not.toBe(413);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

describe("slow and stuck clients", () => {
  const openSockets: Socket[] = [];
  afterEach(() => {
    for (const socket of openSockets.splice(0)) socket.destroy();
  });

  function stall(text: string): Promise<void> {
    const url = new URL(app.url);
    return new Promise((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write(text, () => resolve()));
      socket.on("error", () => socket.destroy());
      openSockets.push(socket);
    });
  }

  it("keeps answering others while clients never finish their headers or bodies", async () => {
    const command = `POST /api/v1/commands HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_TOKEN}\r\nContent-Type: application/json\r\n`;
    await Promise.all([
      ...Array.from({ length: 10 }, () => stall(`${command}X-Half: `)),
      ...Array.from({ length: 10 }, () => stall(`${command}Content-Length: 1000\r\n\r\n{"text": "de`)),
      ...Array.from({ length: 10 }, () => stall(`${command}Transfer-Encoding: chunked\r\n\r\n10\r\n{"text": `)),
      ...Array.from({ length: 5 }, () => stall("POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\ntoken=")),
      ...Array.from({ length: 5 }, () => stall("POST /api/github/webhooks HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{")),
    ]);
    await app.expectHealthy();
    const help = await sendRaw(app.url, { method: "POST", path: "/api/v1/commands", headers: { ...json, authorization: `Bearer ${TEST_TOKEN}` }, body: JSON.stringify({ text: "help" }), timeoutMs: 2000 });
    expect(help).toMatchObject({ status: 200, json: { outcome: "done" } });
    // Stuck requests are ended by the server's own deadlines, not kept forever.
    const { server } = app.t.app.http;
    expect(server.headersTimeout).toBeGreaterThan(0);
    expect(server.headersTimeout).toBeLessThanOrEqual(60_000);
    expect(server.requestTimeout).toBeGreaterThan(0);
    expect(server.requestTimeout).toBeLessThanOrEqual(120_000);
  });

  it("answers a header section over node's 16 KiB limit with 431 and a message, and stays up", async () => {
    // 2 MiB is still being sent when the server refuses it: the answer must survive the close.
    // A raw socket reads whatever comes back, however the upload ends.
    for (const size of [20_000, 200_000, 2 * MiB]) {
      const answer = await sendRawText(app.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${"x".repeat(size)}\r\n\r\n`, 5000);
      expect(answer).toMatch(/^HTTP\/1\.1 431 /);
      expect(answer).toMatch(/\r\nConnection: close\r\n/);
      expect(answer).toMatch(/"error":"The request's headers are larger than 16 KiB; send smaller headers\."/);
    }
    await app.expectHealthy();
  });

  it("answers HEAD with an oversized header section with a bodiless 431 that an HTTP client can read", async () => {
    for (const path of ["/", "/api/v1/commands", "/healthz"]) {
      const response = await sendRaw(app.url, { method: "HEAD", path, headers: { "x-padding": "x".repeat(20_000) } });
      expect(response).toMatchObject({ status: 431, text: "" });
    }
    await app.expectHealthy();
  });

  it("answers bytes that are not HTTP with 400 and a message", async () => {
    const answer = await sendRawText(app.url, "HELLO / WHAT\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/"error":"The request is not valid HTTP/);
    await app.expectHealthy();
  });

  it("changed nothing", async () => {
    const now = await app.footprint();
    // `help` above is a decision and is audited; nothing else may have moved.
    expect({ ...now, audit: start.audit }).toEqual(start);
  });
});
