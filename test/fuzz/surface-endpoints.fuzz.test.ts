import fc from "fast-check";
import { WEBHOOK_SECRET } from "../github/webhook-fixtures.js";
import { SIGNING_SECRET } from "../slack/slack-requests.js";
import { PIPELINE_EVENTS_TOKEN, SLACK_NOW_MS, startFuzzApp, type Footprint, type FuzzApp } from "./fuzz-app.js";
import { expectJsonError, isHeaderOverflow } from "./fuzz-expect.js";
import { fuzzRuns } from "./fuzz-runs.js";
import { anyBody, contentType, extraHeaders, headerValue, method } from "./http-arbitraries.js";
import { sendRaw, type RawResponse } from "./raw-request.js";
import { githubDelivery, githubSignature, slackBody, slackSignature } from "./surface-arbitraries.js";

/**
 * Bad input on the surfaces' endpoints: Slack events, GitHub webhooks and
 * pipeline events. Unsigned or badly signed requests get a 4xx and reach nothing; signed ones of
 * a shape the sender never sends get a 4xx too (or are ignored), and none of them deploys or locks.
 */
let app: FuzzApp;
let start: Footprint;

beforeAll(async () => {
  app = await startFuzzApp();
});

// Signed requests come last: Slack's go on working after their ack, so they may still be running.
beforeEach(async () => {
  start = await app.footprint();
});

afterAll(async () => {
  // After every piece of work the surfaces started behind their acks has finished.
  const end = await app.close();
  expect({ deploys: end.deploys, locks: end.locks, executions: end.executions }).toEqual({ deploys: 0, locks: 0, executions: 0 });
});

const RUNS = fuzzRuns(100);
let deliveries = 0;
const nowSeconds = () => Math.floor(SLACK_NOW_MS / 1000);

async function expectUntouched(): Promise<void> {
  expect(await app.footprint()).toEqual(start);
  await app.expectHealthy();
}

async function expectNoDeployOrLock(): Promise<void> {
  const now = await app.footprint();
  expect({ deploys: now.deploys, locks: now.locks, executions: now.executions }).toEqual({ deploys: start.deploys, locks: start.locks, executions: start.executions });
  await app.expectHealthy();
}

function expectNotFailed(response: RawResponse): void {
  if (response.status >= 500) throw new Error(`the server failed (${response.status}): ${response.text.slice(0, 300)}`);
}

describe("POST /slack/events", () => {
  const stale = fc.oneof(fc.integer({ min: 301, max: 10_000_000 }), fc.integer({ min: -10_000_000, max: -301 }));
  /** Everything but a good signature: none, garbage, another secret, a stale or future timestamp, a timestamp that is not a number. */
  const badSignature = fc.oneof(
    fc.constant({}),
    fc.record({ "x-slack-request-timestamp": headerValue, "x-slack-signature": headerValue }, { requiredKeys: [] }),
    fc.constant("wrong-secret").map((secret) => ({ secret })),
    stale.map((offset) => ({ offset })),
    fc.constantFrom("1e9", "-1", "0x10", " 1", "99999999999999999999", "").map((timestamp) => ({ timestamp })),
  );

  it("answers 401 with a message to any request without a good, fresh signature, whatever its body", async () => {
    await fc.assert(
      fc.asyncProperty(badSignature, contentType, anyBody, async (bad, type, body) => {
        const headers: Record<string, string> = type !== undefined ? { "content-type": type } : {};
        if ("secret" in bad || "offset" in bad || "timestamp" in bad) {
          const timestamp = "timestamp" in bad ? bad.timestamp : String(nowSeconds() + ("offset" in bad ? bad.offset : 0));
          headers["x-slack-request-timestamp"] = timestamp;
          headers["x-slack-signature"] = slackSignature(body, Number(timestamp) || 0, "secret" in bad ? bad.secret : SIGNING_SECRET);
          if ("timestamp" in bad) headers["x-slack-signature"] = `v0=${"0".repeat(64)}`;
        } else {
          Object.assign(headers, bad);
        }
        const response = await sendRaw(app.url, { method: "POST", path: "/slack/events", headers, body });
        if (isHeaderOverflow(response, "/slack/events", headers)) return;
        expectJsonError(response, [401]);
      }),
      RUNS,
    );
    await expectUntouched();
  });


  it("answers other methods with 405", async () => {
    await fc.assert(
      fc.asyncProperty(method.filter((m) => m !== "POST" && m !== "HEAD"), extraHeaders, async (m, headers) => {
        const response = await sendRaw(app.url, { method: m, path: "/slack/events", headers });
        if (isHeaderOverflow(response, "/slack/events", headers)) return;
        expectJsonError(response, [405]);
      }),
      fuzzRuns(20),
    );
  });
});

describe("POST /api/github/webhooks", () => {
  const badSignature = fc.oneof(
    fc.constant(undefined),
    headerValue,
    fc.constantFrom("sha256=", `sha256=${"0".repeat(64)}`, "sha1=abc", "SHA256=x", `sha256=${"g".repeat(64)}`),
  );

  it("answers 401 with a message to any request without a good signature, whatever its event and body", async () => {
    await fc.assert(
      fc.asyncProperty(badSignature, fc.boolean(), contentType, extraHeaders, anyBody, async (signature, otherSecret, type, extra, body) => {
        const headers: Record<string, string> = { ...extra, "x-github-event": "issue_comment", "x-github-delivery": `fuzz-${++deliveries}` };
        if (type !== undefined) headers["content-type"] = type;
        if (otherSecret) headers["x-hub-signature-256"] = githubSignature(body, `${WEBHOOK_SECRET}-old`);
        else if (signature !== undefined) headers["x-hub-signature-256"] = signature;
        const response = await sendRaw(app.url, { method: "POST", path: "/api/github/webhooks", headers, body });
        if (isHeaderOverflow(response, "/api/github/webhooks", headers)) return;
        expectJsonError(response, [401]);
      }),
      RUNS,
    );
    await expectUntouched();
  });

});

describe("POST /api/pipeline-events", () => {
  const wrongToken = fc.option(
    fc.oneof(headerValue, fc.constantFrom(PIPELINE_EVENTS_TOKEN.slice(1), `${PIPELINE_EVENTS_TOKEN} `, PIPELINE_EVENTS_TOKEN.toUpperCase(), `${PIPELINE_EVENTS_TOKEN}\t`)),
    { nil: undefined },
  ).filter((token) => token?.trim() !== PIPELINE_EVENTS_TOKEN);
  const event = fc.record({
    source: fc.oneof(fc.constant("aws.codepipeline"), fc.jsonValue({ maxDepth: 1 })),
    "detail-type": fc.oneof(fc.constantFrom("CodePipeline Pipeline Execution State Change", "CodePipeline Action Execution State Change"), fc.jsonValue({ maxDepth: 1 })),
    detail: fc.oneof(fc.record({ pipeline: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })), "execution-id": fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })), state: fc.string() }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 })),
  }, { requiredKeys: [] }).map((value) => JSON.stringify(value));

  it("answers 401 with a message to any request without the token", async () => {
    await fc.assert(
      fc.asyncProperty(wrongToken, contentType, anyBody, async (token, type, body) => {
        const headers = { ...(token !== undefined ? { "x-whistlestop-token": token } : {}), ...(type !== undefined ? { "content-type": type } : {}) };
        const response = await sendRaw(app.url, { method: "POST", path: "/api/pipeline-events", headers, body });
        if (isHeaderOverflow(response, "/api/pipeline-events", headers)) return;
        expectJsonError(response, [401]);
      }),
      RUNS,
    );
    await expectUntouched();
  });

  it("answers any body with the token: 200 for an event (no deploy follows it), otherwise 4xx with a message", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(event, anyBody), fc.oneof({ weight: 3, arbitrary: fc.constant("application/json") }, { weight: 1, arbitrary: contentType }), async (body, type) => {
        const headers = { "x-whistlestop-token": PIPELINE_EVENTS_TOKEN, ...(type !== undefined ? { "content-type": type } : {}) };
        const response = await sendRaw(app.url, { method: "POST", path: "/api/pipeline-events", headers, body });
        if (response.status === 200) return expect(response.json).toMatchObject({ accepted: false });
        expectJsonError(response, [400, 415]);
      }),
      RUNS,
    );
    await expectUntouched();
  });
});

describe("signed by Slack or GitHub, in shapes they never send", () => {
  it("answers a signed delivery of an unexpected shape with 200 (ignored) or a 4xx with a message, never a failure", async () => {
    const callbackUrl = `${app.github.github.baseUrl}/repos/fuzz-org/not-configured/actions/runs/1/deployment_protection_rule`;
    const body = fc.oneof({ weight: 4, arbitrary: githubDelivery(callbackUrl) }, { weight: 1, arbitrary: anyBody.map((raw) => ({ event: "issue_comment", body: raw.toString() })) });
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain"), async (delivery, type) => {
        const headers = { "content-type": type, "x-github-event": delivery.event, "x-github-delivery": `fuzz-${++deliveries}`, "x-hub-signature-256": githubSignature(delivery.body) };
        const response = await sendRaw(app.url, { method: "POST", path: "/api/github/webhooks", headers, body: delivery.body });
        expectNotFailed(response);
        if (response.status !== 200) expectJsonError(response, [400, 415]);
      }),
      RUNS,
    );
    await app.github.settle();
    await expectNoDeployOrLock();
  });

  it("answers a signed body of any shape with 200 or a 4xx with a message, never a failure", async () => {
    await fc.assert(
      fc.asyncProperty(slackBody(app.slack.responseUrl("fuzz")), async ({ body, contentType: type }) => {
        const timestamp = nowSeconds();
        const headers = { "content-type": type, "x-slack-request-timestamp": String(timestamp), "x-slack-signature": slackSignature(body, timestamp) };
        const response = await sendRaw(app.url, { method: "POST", path: "/slack/events", headers, body });
        expectNotFailed(response);
        if (response.status !== 200) expectJsonError(response, [400]);
      }),
      RUNS,
    );
    // Signed requests are Slack's: replies and audited refusals may follow, deploys and locks may not.
    await expectNoDeployOrLock();
  });
});
