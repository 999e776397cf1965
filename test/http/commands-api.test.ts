import { request as httpRequest } from "node:http";
import { deployRecord, deployView, errorOf, jsonHeaders, jsonOf, OTHER_TOKEN, postCommand, startTestServer, TOKEN, type TestServer } from "./http-test-kit.js";

describe("POST /api/v1/commands", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ bodyLimitBytes: 4096 });
  });
  afterEach(() => server.close());

  it("runs the text as the token's actor and answers the result without the internal record", async () => {
    server.runner.result = {
      outcome: "queued",
      message: "Queued behind d-0 (position 2).",
      deploy: deployView({ state: "queued", queuePosition: 2 }),
      record: deployRecord(),
    };
    const response = await postCommand(server, { text: "  deploy donations staging  " });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await jsonOf(response);
    expect(body).toEqual({
      outcome: "queued",
      message: "Queued behind d-0 (position 2).",
      deploy: deployView({ state: "queued", queuePosition: 2 }),
    });
    expect(server.runner.calls).toEqual([
      { text: "deploy donations staging", context: { actor: { surface: "api", name: "api:ci", apiClient: "ci" } } },
    ]);
  });

  it("answers every part of a fanned-out result in the same flat shape, without records or prompts", async () => {
    server.runner.result = {
      outcome: "done",
      message: "Rolled back in two environments.",
      results: [
        { outcome: "started", message: "started", deploy: deployView(), record: deployRecord() },
        { outcome: "refused", reasonCode: "confirmation_required", message: "asks for confirmation. Run it again with --yes.", question: "asks for confirmation.", pending: { verb: "rollback", service: "donations", env: "prod", target: "d-1", of: "d-2", force: false } },
      ],
    };
    expect(await jsonOf(await postCommand(server, { text: "rollback donations" }))).toEqual({
      outcome: "done",
      message: "Rolled back in two environments.",
      results: [
        { outcome: "started", message: "started", deploy: deployView() },
        { outcome: "refused", reasonCode: "confirmation_required", message: "asks for confirmation. Run it again with --yes." },
      ],
    });
  });

  it("answers a text that is not a command as done and ignored, as before results had an outcome for it", async () => {
    server.runner.result = { outcome: "ignored" };
    expect(await jsonOf(await postCommand(server, { text: "thanks!" }))).toEqual({ outcome: "done", message: "", ignored: true });
  });

  it("answers a refusal with 200, because a refusal is a decision", async () => {
    server.runner.result = { outcome: "refused", reasonCode: "locked", message: "donations/prod is locked by alice." };
    const response = await postCommand(server, { text: "deploy donations prod" });
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({ outcome: "refused", reasonCode: "locked", message: "donations/prod is locked by alice." });
  });

  it("names the GitHub Action's actor next to the client, which is never a login", async () => {
    await postCommand(server, { text: "deploy donations staging", githubActor: "octocat" }, { ...jsonHeaders(OTHER_TOKEN), "Idempotency-Key": "run-42" });
    expect(server.runner.calls[0]!.context).toEqual({
      actor: { surface: "api", name: "api:release-bot (octocat)", apiClient: "release-bot" },
      idempotencyKey: "api:release-bot:run-42",
    });
  });

  it.each([
    ["no Authorization header", { "Content-Type": "application/json" }, undefined],
    ["an unknown token", jsonHeaders("not-a-valid-token-at-all"), 'error="invalid_token"'],
    ["a token that differs in one character", jsonHeaders(`${TOKEN.slice(0, -1)}X`), 'error="invalid_token"'],
    ["Basic auth", { "Content-Type": "application/json", Authorization: `Basic ${TOKEN}` }, 'error="invalid_request"'],
  ])("refuses %s with 401 and never calls the runner", async (_case, headers, challengeError) => {
    const response = await postCommand(server, { text: "deploy donations prod" }, headers as Record<string, string>);
    expect(response.status).toBe(401);
    const challenge = response.headers.get("www-authenticate") ?? "";
    expect(challenge).toMatch(/^Bearer realm="whistlestop"/);
    if (challengeError) expect(challenge).toContain(challengeError);
    expect((await errorOf(response))).toMatch(/token/i);
    expect(server.runner.calls).toHaveLength(0);
  });

  it("says how to enable the API when no tokens are configured", async () => {
    const closed = await startTestServer({ apiTokens: [] });
    try {
      const response = await postCommand(closed, { text: "help" });
      expect(response.status).toBe(401);
      expect((await errorOf(response))).toContain("WHISTLESTOP_API_TOKENS");
      expect(closed.runner.calls).toHaveLength(0);
    } finally {
      await closed.close();
    }
  });

  it.each([
    ["malformed JSON", "{text: deploy", /not valid JSON/],
    ["a JSON array", "[]", /must be a JSON object/],
    ["a missing text", JSON.stringify({ command: "deploy" }), /"text" is missing/],
    ["a text that is not a string", JSON.stringify({ text: 42 }), /"text" must be a string/],
    ["an empty text", JSON.stringify({ text: "   " }), /"text" is empty/],
    ["a text over 2000 characters", JSON.stringify({ text: `deploy donations prod --reason "${"x".repeat(2000)}"` }), /limit is 2000/],
    ["a githubActor that is not a login", JSON.stringify({ text: "help", githubActor: "a b" }), /githubActor/],
  ])("answers 400 with a message for %s", async (_case, body, message) => {
    const response = await postCommand(server, body);
    expect(response.status).toBe(400);
    const { error } = await jsonOf(response);
    expect(error).toMatch(message);
    expect(server.runner.calls).toHaveLength(0);
  });

  it("answers 400 for a malformed Idempotency-Key", async () => {
    const response = await postCommand(server, { text: "help" }, { ...jsonHeaders(), "Idempotency-Key": "x".repeat(201) });
    expect(response.status).toBe(400);
    expect((await errorOf(response))).toMatch(/Idempotency-Key/);
  });

  it.each([
    ["text/plain", "deploy donations staging"],
    ["application/x-www-form-urlencoded", "text=deploy"],
    ["application/json; charset=latin1", JSON.stringify({ text: "help" })],
  ])("refuses Content-Type %s with 415", async (contentType, body) => {
    const response = await postCommand(server, body, { Authorization: `Bearer ${TOKEN}`, "Content-Type": contentType });
    expect(response.status).toBe(415);
    expect((await errorOf(response))).toMatch(/application\/json/);
    expect(server.runner.calls).toHaveLength(0);
  });

  it("refuses a body over the limit with 413 before reading it (Content-Length)", async () => {
    const response = await postCommand(server, JSON.stringify({ text: "x".repeat(10_000) }));
    expect(response.status).toBe(413);
    expect((await errorOf(response))).toMatch(/larger than 4096 bytes/);
    expect(server.runner.calls).toHaveLength(0);
  });

  it("refuses a multi-megabyte body with the default 1 MiB limit", async () => {
    const big = await startTestServer();
    try {
      const response = await postCommand(big, JSON.stringify({ text: "x".repeat(3 * 1024 * 1024) }));
      expect(response.status).toBe(413);
      expect((await errorOf(response))).toMatch(/larger than 1048576 bytes/);
      expect(big.runner.calls).toHaveLength(0);
    } finally {
      await big.close();
    }
  });

  it("refuses a chunked body with 413 once it crosses the limit", async () => {
    const { status, body } = await chunkedPost(server.url, ["{\"text\": \"", "y".repeat(3000), "y".repeat(3000), "\"}"]);
    expect(status).toBe(413);
    expect(JSON.parse(body).error).toMatch(/larger than 4096 bytes/);
    expect(server.runner.calls).toHaveLength(0);
  });

  it("fails closed with 503 store_unavailable when the runner throws, without logging the token", async () => {
    server.runner.runTextImpl = async () => {
      throw Object.assign(new Error(`connect ECONNREFUSED postgres://whistlestop:hunter2@db:5432 (Bearer ${TOKEN})`), {
        code: "store_unavailable",
      });
    };
    const response = await postCommand(server, { text: "deploy donations prod" });
    expect(response.status).toBe(503);
    expect(await jsonOf(response)).toEqual({
      outcome: "refused",
      reasonCode: "store_unavailable",
      message:
        "Whistlestop cannot reach its database, so nothing was changed. Try again in a minute; if it persists, page the SRE on call.",
      error:
        "Whistlestop cannot reach its database, so nothing was changed. Try again in a minute; if it persists, page the SRE on call.",
    });
    await server.close();
    expect(server.logs.text).toContain("fail closed");
    expect(server.logs.text).not.toContain(TOKEN);
    expect(server.logs.text).not.toContain("hunter2");
  });

  it("answers 503 when the runner itself reports store_unavailable", async () => {
    server.runner.result = { outcome: "refused", reasonCode: "store_unavailable", message: "cannot reach the database" };
    const response = await postCommand(server, { text: "deploys" });
    expect(response.status).toBe(503);
    expect((await jsonOf(response)).reasonCode).toBe("store_unavailable");
  });

  it("answers 405 with Allow for another method", async () => {
    const response = await fetch(`${server.url}/api/v1/commands`, { method: "GET", headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect((await errorOf(response))).toMatch(/use POST/);
  });
});

/** fetch always sends Content-Length for a string body; node:http sends chunks without one. */
function chunkedPost(url: string, chunks: readonly string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/api/v1/commands`, { method: "POST", headers: jsonHeaders() }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}
