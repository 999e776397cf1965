import { ADMIN_TOKEN, startTestApp, TEST_TOKEN, type TestApp } from "../kit/test-app.js";

/** POST /api/v1/check: the policies' answer to a deploy command, with nothing stored or started. */
describe("the check endpoint the action's `check` uses", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const check = async (body: unknown, token = TEST_TOKEN) => {
    const response = await fetch(`${t.url}/api/v1/check`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, ...((await response.json()) as { message?: string; [field: string]: unknown }) };
  };

  test("deployable, then blocked by a lock; the lock's owner may still deploy", async () => {
    expect(await check({ text: "deploy donations staging main", githubActor: "octocat" })).toMatchObject({ status: 200, outcome: "done", deployable: true });
    await t.command("lock donations staging --reason migration", ADMIN_TOKEN);
    expect(await check({ text: "deploy donations staging main" })).toMatchObject({ status: 200, outcome: "refused", reasonCode: "locked", deployable: false });
    expect(await check({ text: "deploy donations staging main" }, ADMIN_TOKEN)).toMatchObject({ deployable: true });
    expect(await t.store.listDeploys({})).toHaveLength(0);
    expect(t.emulator.emulator.executions("donations-staging")).toHaveLength(0);
  });

  test("a running deploy is mentioned: a new one would queue", async () => {
    const started = await t.command("deploy donations staging");
    const answer = await check({ text: "deploy donations staging main" });
    expect(answer).toMatchObject({ deployable: true, message: expect.stringContaining(`Deploy ${started.deploy!.id}`) });
    expect(answer.message).toMatch(/would queue/);
  });

  test("promotion, typos and other verbs get the same answers a deploy would", async () => {
    expect(await check({ text: "deploy donations prod 0123456789abcdef0123456789abcdef01234567" }, ADMIN_TOKEN)).toMatchObject({ reasonCode: "not_promoted", deployable: false });
    expect(await check({ text: "deploy donatoins staging" })).toMatchObject({ reasonCode: "unknown_service", message: expect.stringContaining('did you mean "donations"') });
    expect(await check({ text: "lock donations staging" })).toMatchObject({ status: 200, reasonCode: "bad_command", deployable: false });
  });

  test("needs a valid token and a JSON body, like every API route", async () => {
    expect(await check({ text: "deploy donations staging" }, "wrong")).toMatchObject({ status: 401 });
    expect(await check({ nope: 1 })).toMatchObject({ status: 400, error: expect.stringContaining('"text"') });
  });
});
