import { ADMIN_TOKEN, startTestApp, TEST_TOKEN, type TestApp } from "../kit/test-app.js";

interface AuditBody {
  readonly entries?: Array<{ id: number; actor: string; actorKey: string; action: string; service?: string; env?: string; outcome: string; reasonCode?: string }>;
  readonly next?: string | null;
  readonly error?: string;
}

describe("GET /api/v1/audit through the real server", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    // A few decisions by two API clients: a start, a refusal, a lock and a listing.
    expect((await t.command("deploy donations staging")).outcome).toBe("started");
    expect((await t.command("deploy donations prod")).outcome).toBe("refused");
    expect((await t.command("lock events staging for 1h load test", ADMIN_TOKEN)).outcome).toBe("done");
    expect((await t.command("deploys events", ADMIN_TOKEN)).outcome).toBe("done");
  });
  afterAll(async () => {
    await t.close();
  });

  const audit = async (query = "", token = ADMIN_TOKEN): Promise<{ status: number; body: AuditBody }> => {
    const response = await fetch(`${t.url}/api/v1/audit${query}`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as AuditBody };
  };
  const summary = (body: AuditBody) => body.entries!.map((e) => `${e.actor} ${e.action} ${e.service ?? "-"}/${e.env ?? "-"} ${e.outcome}${e.reasonCode ? ` ${e.reasonCode}` : ""}`);

  test("an admin reads every decision, newest first, with refusals and their reason codes", async () => {
    const { status, body } = await audit();
    expect(status).toBe(200);
    expect(summary(body)).toEqual([
      "api:sandbox-admin deploys events/- done",
      "api:sandbox-admin lock events/staging done",
      expect.stringMatching(/^api:ci deploy donations\/prod refused (confirmation_required|not_promoted)$/),
      "api:ci deploy donations/staging started",
    ]);
    expect(body.next).toBeNull();
  });

  test.each([
    ["?service=donations", ["api:ci deploy donations/prod", "api:ci deploy donations/staging"]],
    ["?env=staging", ["api:sandbox-admin lock events/staging", "api:ci deploy donations/staging"]],
    ["?actor=API:CI", ["api:ci deploy donations/prod", "api:ci deploy donations/staging"]],
    ["?actor=api:sandbox-admin&service=events&env=staging", ["api:sandbox-admin lock events/staging"]],
    ["?since=1h", ["api:sandbox-admin deploys events/-", "api:sandbox-admin lock events/staging", "api:ci deploy donations/prod", "api:ci deploy donations/staging"]],
    ["?since=2999-01-01T00:00Z", []],
  ])("filters %s", async (query, expected) => {
    const { status, body } = await audit(query);
    expect(status).toBe(200);
    expect(summary(body).map((line) => line.split(" ").slice(0, 3).join(" "))).toEqual(expected);
  });

  test("a workflow's request (shown as api:ci (octocat)) is found under its client, api:ci", async () => {
    const response = await fetch(`${t.url}/api/v1/commands`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TEST_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ text: "windows prod", githubActor: "octocat" }),
    });
    expect(response.status).toBe(200);
    const { body } = await audit("?actor=api:ci&limit=1");
    expect(body.entries).toEqual([expect.objectContaining({ actor: "api:ci (octocat)", actorKey: "api:ci", action: "windows", env: "prod" })]);
  });

  test("pages with limit and the next cursor until next is null, each entry once", async () => {
    const seen: number[] = [];
    let query = "?limit=1";
    for (let page = 0; page < 10; page++) {
      const { status, body } = await audit(query);
      expect(status).toBe(200);
      expect(body.entries).toHaveLength(1);
      seen.push(...body.entries!.map((e) => e.id));
      if (body.next === null) break;
      query = `?limit=1&cursor=${encodeURIComponent(body.next!)}`;
    }
    const all = (await audit()).body.entries!.map((e) => e.id);
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(seen).toEqual(all);
  });

  test("someone who is not an admin gets 403 saying so, and nothing of the log", async () => {
    const { status, body } = await audit("", TEST_TOKEN);
    expect(status).toBe(403);
    expect(body.entries).toBeUndefined();
    expect(body.error).toMatch(/^Only admins may read the audit log, and api:ci is not one \(admins: .*sandbox-admin.*\)/);
  });

  test("no token or a bad one gets 401", async () => {
    expect((await fetch(`${t.url}/api/v1/audit`)).status).toBe(401);
    expect((await audit("", "not-a-real-token-0123456789")).status).toBe(401);
  });

  test.each([
    ["?services=donations", /Unknown audit filter "services"\. The filters are service, env, actor, since, limit, cursor\./],
    ["?service=donatoins", /unknown service "donatoins" — did you mean "donations"\?/],
    ["?env=production", /unknown env "production"/],
    ["?since=yesterday", /since must be an ISO 8601 time .* or a duration back from now \(24h, 7d\), not "yesterday"/],
    ["?limit=0", /limit must be a whole number from 1 to 200/],
    ["?cursor=abc", /cursor must be the next value of a previous page/],
    ["?actor=a&actor=b", /The audit filter "actor" is given 2 times/],
    ["?actor=%3Cscript%3E", /actor must be a GitHub login/],
  ])("a bad filter %s gets 400 saying what is wrong", async (query, message) => {
    const { status, body } = await audit(query);
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });
});
