import { ActionApi, describeFailure } from "../../src/action/action-api.js";
import { escapeMarkdown, renderSummary } from "../../src/action/action-report.js";

interface Sent {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** A fetch that answers from a script and records what it was sent. */
function scriptedFetch(answers: Array<Response | Error>): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    sent.push({ url, headers: init.headers as Record<string, string>, body: JSON.parse(init.body as string) });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof fetch;
  return { fetch: fetchFn, sent };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const reset = () => Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });

describe("the action's API client", () => {
  const api = (fetchFn: typeof fetch, slept: number[] = []) =>
    new ActionApi({ server: "https://w.example", token: "tok", fetch: fetchFn, requestTimeoutMs: 1000, retryDelaysMs: [1, 2, 3], sleep: async (ms) => void slept.push(ms) });

  test("sends the bearer token, the workflow's actor and the Idempotency-Key; a refusal is an answer", async () => {
    const { fetch, sent } = scriptedFetch([json(200, { outcome: "refused", reasonCode: "locked", message: "locked by alice" })]);
    const answer = await api(fetch).post("/api/v1/commands", { text: "deploy donations staging --yes", githubActor: "octocat" }, "1-1-deploy-donations-staging");
    expect(answer).toEqual({ ok: true, result: { outcome: "refused", reasonCode: "locked", message: "locked by alice" } });
    expect(sent).toEqual([
      {
        url: "https://w.example/api/v1/commands",
        headers: expect.objectContaining({ Authorization: "Bearer tok", "Content-Type": "application/json", "Idempotency-Key": "1-1-deploy-donations-staging" }),
        body: { text: "deploy donations staging --yes", githubActor: "octocat" },
      },
    ]);
  });

  test("connection trouble and a draining server are retried with the same key", async () => {
    const slept: number[] = [];
    const { fetch, sent } = scriptedFetch([reset(), json(503, { error: "shutting down" }), json(200, { outcome: "started", message: "started" })]);
    const answer = await api(fetch, slept).post("/api/v1/commands", { text: "deploy a b" }, "key-1");
    expect(answer.ok).toBe(true);
    expect(slept).toEqual([1, 2]);
    expect(sent.map((s) => s.headers["Idempotency-Key"])).toEqual(["key-1", "key-1", "key-1"]);
  });

  test("a bad token is not retried and says what to fix", async () => {
    const { fetch, sent } = scriptedFetch([json(401, { error: "The bearer token is not valid." })]);
    const answer = await api(fetch).post("/api/v1/commands", { text: "deploy a b" }, "key-1");
    expect(sent).toHaveLength(1);
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(describeFailure(answer.failure)).toMatch(/refused the token \(401\): The bearer token is not valid\. Check the token input.*WHISTLESTOP_API_TOKENS/);
  });

  test("without a key a command is never sent twice", async () => {
    const { fetch, sent } = scriptedFetch([reset()]);
    const answer = await api(fetch).post("/api/v1/commands", { text: "deploy a b" });
    expect(sent).toHaveLength(1);
    expect(answer).toMatchObject({ ok: false, failure: { kind: "unreachable", detail: "ECONNRESET" } });
  });
});

describe("the job summary", () => {
  test("server text cannot inject Markdown, HTML or table cells", () => {
    expect(escapeMarkdown("a | b <img src=x> [link](http://x) *bold*\nnext")).toBe("a \\| b \\<img src=x\\> \\[link\\](http://x) \\*bold\\* next");
  });

  test("a refusal shows the reason and its code, with no deploy table", () => {
    const md = renderSummary({ command: "deploy", service: "donations", environment: "prod", passed: false, state: "refused", reasonCode: "window_closed", message: "Debate night traffic until 00:00" });
    expect(md).toBe("### ⛔ Whistlestop deploy: donations → prod refused\n\nDebate night traffic until 00:00\n\nReason code: `window_closed`\n");
  });
});
