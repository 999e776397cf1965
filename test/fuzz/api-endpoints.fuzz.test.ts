import fc from "fast-check";
import { ADMIN_TOKEN, TEST_TOKEN } from "../kit/test-app.js";
import { startFuzzApp, type Footprint, type FuzzApp } from "./fuzz-app.js";
import { fuzzRuns } from "./fuzz-runs.js";
import { expectJsonError, isHeaderOverflow } from "./fuzz-expect.js";
import { anyBody, contentType, extraHeaders, headerValue, method } from "./http-arbitraries.js";
import { sendRaw, sendRawText } from "./raw-request.js";

/**
 * Bad input on the HTTP API and the probes: whatever arrives, the server answers, a
 * refusal is a 4xx with a message, and nothing is deployed or locked. The runs are bounded so the
 * file stays fast; fast-check prints a seed to replay any failure.
 */
let app: FuzzApp;
let start: Footprint;

beforeAll(async () => {
  app = await startFuzzApp();
  start = await app.footprint();
});

afterAll(async () => {
  await app.close();
});

const RUNS = fuzzRuns(120);
const COMMAND_PATHS = ["/api/v1/commands", "/api/v1/check"] as const;
const VALID_BEARER = new RegExp(`^Bearer[ \\t]+(${TEST_TOKEN}|${ADMIN_TOKEN})[ \\t]*$`, "i");

/** Authorization values around the real tokens: cut, padded, other schemes, other cases, garbage. */
const badAuthorization = fc.option(
  fc.oneof(
    headerValue,
    fc.constantFrom("Bearer", "Bearer ", "bearer", "Basic dGVzdDp0ZXN0", "Token " + TEST_TOKEN, `Bearer ${TEST_TOKEN}x`, `Bearer x${TEST_TOKEN}`, `Bearer ${TEST_TOKEN.slice(0, -1)}`),
    fc.constantFrom(`Bearer ${TEST_TOKEN.toUpperCase()}`, `Bearer ${TEST_TOKEN} ${TEST_TOKEN}`, `Bearer\u00a0${TEST_TOKEN}`, `Bearer ${ADMIN_TOKEN}\u0085`),
    headerValue.map((value) => `Bearer ${value}`),
  ),
  { nil: undefined },
).filter((value) => value === undefined || !VALID_BEARER.test(value));

async function expectNothingChanged(keys: readonly (keyof Footprint)[] = ["deploys", "locks", "audit", "executions", "slackCalls"]): Promise<void> {
  const now = await app.footprint();
  for (const key of keys) expect({ [key]: now[key] }).toEqual({ [key]: start[key] });
  await app.expectHealthy();
}

describe("POST /api/v1/commands and /api/v1/check", () => {
  it("answer 401 with a message to any request without a valid token, whatever its body", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMAND_PATHS), badAuthorization, contentType, extraHeaders, anyBody, async (path, authorization, type, extra, body) => {
        const headers = { ...extra, ...(authorization !== undefined ? { authorization } : {}), ...(type !== undefined ? { "content-type": type } : {}) };
        const response = await sendRaw(app.url, { method: "POST", path, headers, body });
        if (isHeaderOverflow(response, path, headers)) return;
        expectJsonError(response, [401]);
        expect(response.headers["www-authenticate"]).toMatch(/^Bearer realm="whistlestop"/);
      }),
      RUNS,
    );
    await expectNothingChanged();
  });

  it("refuse malformed bodies and headers with a 4xx, and answer well-formed ones without starting anything", async () => {
    // Mostly well-framed JSON requests, so the bodies themselves get past the header checks.
    const mostly = <T>(usual: T, other: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: other });
    const idempotencyKey = mostly<string | undefined>(undefined, fc.oneof(headerValue, fc.uuid()));
    const encoding = mostly<string | undefined>(undefined, fc.constantFrom("gzip", "identity", "br", "IDENTITY", "x"));
    const jsonType = mostly<string | undefined>("application/json", contentType);
    const commandBody = fc.oneof(anyBody, fc.string({ maxLength: 2100 }).map((text) => JSON.stringify({ text })));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMAND_PATHS), jsonType, encoding, idempotencyKey, commandBody, async (path, type, contentEncoding, key, body) => {
        const headers = {
          authorization: `Bearer ${TEST_TOKEN}`,
          ...(type !== undefined ? { "content-type": type } : {}),
          ...(contentEncoding !== undefined ? { "content-encoding": contentEncoding } : {}),
          ...(key !== undefined ? { "idempotency-key": key } : {}),
        };
        const response = await sendRaw(app.url, { method: "POST", path, headers, body });
        if (isHeaderOverflow(response, path, headers)) return;
        if (response.status === 200) {
          // Only a JSON object with a text can be a command; random text is never one that acts.
          expect(parsesAsObjectWithText(body)).toBe(true);
          expect(["refused", "done"]).toContain((response.json as { outcome: string }).outcome);
          expect((response.json as { message: string }).message.length).toBeGreaterThan(0);
          return;
        }
        expectJsonError(response, [400, 415]);
      }),
      RUNS,
    );
    // Refusals of well-formed commands are decisions and so are audited; nothing else may change.
    await expectNothingChanged(["deploys", "locks", "executions", "slackCalls"]);
    start = await app.footprint();
  });
});

describe("GET /api/v1/deploys", () => {
  const idSegment = fc.oneof(
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).map(encodeURIComponent),
    fc.string({ unit: "binary", minLength: 1, maxLength: 20 }).map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, "x"))),
    fc.stringMatching(/^[a-zA-Z0-9-]{1,200}$/),
    fc.constantFrom("%", "%zz", "%00", "%2F", "..", ".", "%2e%2e", "events", "d-" + "x".repeat(300)),
  );

  it("/:id and /:id/events answer 404 with a message for any id that is not a deploy, and 401 without a token", async () => {
    await fc.assert(
      fc.asyncProperty(idSegment, fc.boolean(), badAuthorization, fc.boolean(), async (id, events, authorization, withToken) => {
        const path = `/api/v1/deploys/${id}${events ? "/events" : ""}`;
        const headers = withToken ? { authorization: `Bearer ${TEST_TOKEN}` } : authorization !== undefined ? { authorization } : {};
        const response = await sendRaw(app.url, { method: "GET", path, headers });
        if (isHeaderOverflow(response, path, headers)) return;
        // Dot segments are resolved like a browser does, so some ids name another route: still no deploy, and never a stream.
        expect(response.headers["content-type"]).not.toMatch(/event-stream/);
        if (!withToken && response.status === 401) return expectJsonError(response, [401]);
        if (response.status === 200) expect(response.json).toEqual({ deploys: [] });
        else expectJsonError(response, withToken ? [400, 404] : [401, 404]);
      }),
      RUNS,
    );
    await expectNothingChanged();
  });

  it("?service=&env=&limit= answers 200 with a list or 400 with a message for any query", async () => {
    const queryValue = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("donations", "prod", "0", "1", "500", "501", "-1", "1e3", "0x10", " 5 ", "NaN", ""));
    const query = fc.oneof(
      fc.array(fc.tuple(fc.oneof(fc.constantFrom("service", "env", "limit"), fc.string({ maxLength: 8 })), queryValue), { maxLength: 5 }).map((pairs) => new URLSearchParams(pairs).toString()),
      fc.constantFrom("%zz", "&&&", "==", "service=%00", "limit=%", "service=donations&service=../x"),
    );
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const response = await sendRaw(app.url, { method: "GET", path: `/api/v1/deploys?${q}`, headers: { authorization: `Bearer ${TEST_TOKEN}` } });
        if (response.status === 200) return expect(response.json).toEqual({ deploys: [] });
        expectJsonError(response, [400]);
      }),
      RUNS,
    );
    await expectNothingChanged();
  });
});

describe("every path and method", () => {
  const KNOWN_PATHS = ["/api/v1/commands", "/api/v1/check", "/api/v1/deploys", "/api/v1/deploys/d-1", "/api/v1/deploys/d-1/events", "/api/pipeline-events", "/slack/events", "/api/github/webhooks", "/healthz", "/readyz", "/metrics"];
  const path = fc.oneof(
    fc.constantFrom(...KNOWN_PATHS),
    fc.constantFrom(...KNOWN_PATHS).map((known) => `${known}/`),
    fc.constantFrom(...KNOWN_PATHS).map((known) => known.toUpperCase()),
    fc.array(fc.string({ unit: "grapheme", maxLength: 12 }).map(encodeURIComponent), { maxLength: 5 }).map((segments) => `/${segments.join("/")}`),
    fc.constantFrom("/", "//", "/%", "/%zz", "/api", "/api/v1", "/api/v2/commands", "/slack", "/slack/events/x", "/api/github/webhooks/x", "/healthz?x=%zz", "/a?b#c", "/.."),
  );
  // The router ignores empty segments, so //healthz and /healthz/ are the probe too.
  const probe = (m: string, p: string) =>
    (m === "GET" || m === "HEAD") && ["healthz", "readyz", "metrics"].includes(new URL(`http://x${p}`).pathname.split("/").filter(Boolean).join("/"));

  it("never fail: 2xx only for the probes, otherwise a 4xx with a message (405 names the methods allowed)", async () => {
    await fc.assert(
      fc.asyncProperty(method, path, extraHeaders, async (m, p, extra) => {
        const response = await sendRaw(app.url, { method: m, path: p, headers: extra });
        if (isHeaderOverflow(response, p, extra)) return;
        if (probe(m, p)) {
          expect(response.status).toBe(200);
          return;
        }
        if (m === "HEAD") return expect(response.status).toBeGreaterThanOrEqual(400);
        expectJsonError(response, [400, 401, 404, 405, 411, 415]);
        if (response.status === 405) expect(response.headers.allow).toBeTruthy();
      }),
      RUNS,
    );
    await expectNothingChanged();
  });

  it("answer CONNECT with 405 rather than dropping the connection", async () => {
    const answer = await sendRawText(app.url, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 405 /);
    expect(answer).toMatch(/"error":"CONNECT is not supported/);
  });
});

function parsesAsObjectWithText(body: string | Buffer): boolean {
  try {
    const value: unknown = JSON.parse(body.toString());
    return typeof value === "object" && value !== null && typeof (value as { text?: unknown }).text === "string";
  } catch {
    return false;
  }
}
