import { offlineIdentity } from "../../src/adapters/source-control/offline-source-control.js";
import { startSlackTestApp, USERS, type SlackTestApp } from "../slack/slack-test-app.js";
import { loadTestConfig, startTestApp, TEST_TOKEN, type TestApp } from "../kit/test-app.js";

describe("fail closed: write access nobody can verify is never assumed (real server, signed Slack requests)", () => {
  let t: SlackTestApp;
  beforeAll(async () => {
    // No GitHub: nobody's repository access can be looked up.
    t = await startSlackTestApp({ identity: offlineIdentity });
  });
  afterAll(() => t.close());

  it("a Slack user mapped in people is refused on an environment with empty deployers, and told why and what to do", async () => {
    expect(t.config.environments.staging!.deployers).toEqual([]);
    const ack = await t.slash(USERS.octocat, "/deploy", "donations staging main");
    const answer = String((await t.response(ack.responseUrl)).args.text);
    expect(answer).toContain("cannot verify that octocat has write access to whistlestop-demo/donations (GitHub is not configured on this Whistlestop");
    expect(answer).toContain("Ask an admin to add octocat there");
    expect(answer).toContain("permission_denied");
    expect(await t.store.listDeploys({})).toEqual([]);
  });

  it("an explicit entry still lets a person through: an admin listed by slack:U… deploys without GitHub", async () => {
    await t.close();
    const config = loadTestConfig();
    t = await startSlackTestApp({ identity: offlineIdentity, config: { ...config, admins: [...config.admins, `slack:${USERS.octocat}`] } });
    await t.slash(USERS.octocat, "/deploy", "donations staging main");
    await t.slack.waitFor("chat.postMessage", (c) => String(c.args.text).includes("donations"));
    expect(await t.store.listDeploys({ service: "donations", env: "staging" })).toHaveLength(1);
  });
});

describe("API clients are scoped (real server over HTTP)", () => {
  let t: TestApp;
  beforeAll(async () => {
    const config = loadTestConfig();
    t = await startTestApp({
      config: { ...config, apiClients: { ci: { may: ["deploy", "check"], services: ["*"], environments: ["staging"] } } },
      apiTokens: `ci:${TEST_TOKEN}`,
    });
  });
  afterAll(() => t.close());

  it("a client scoped to staging deploys there and is refused on prod with permission_denied", async () => {
    expect(await t.command("deploy events staging main")).toMatchObject({ status: 200, outcome: "started", deploy: { actor: "api:ci" } });
    const prod = await t.command("deploy events prod main --yes");
    expect(prod).toMatchObject({ status: 200, outcome: "refused", reasonCode: "permission_denied" });
    expect(prod.message).toContain("api:ci may not deploy in prod: api_clients.ci.environments is staging");
    expect(await t.store.listDeploys({ env: "prod" })).toEqual([]);
  });

  it("a verb the client may not use is refused; reading is always allowed", async () => {
    expect(await t.command("lock events staging")).toMatchObject({ outcome: "refused", reasonCode: "permission_denied", message: expect.stringContaining('api:ci may not lock: api_clients.ci.may allows deploy, check') });
    expect(await t.command("deploys")).toMatchObject({ status: 200, outcome: "done" });
    expect(await t.command("token")).toMatchObject({ outcome: "refused", reasonCode: "bad_command", message: expect.stringContaining("works in Slack only") });
    const audit = await t.store.listAudit({ limit: 20 });
    expect(audit.some((a) => a.actor === "api:ci" && a.reasonCode === "permission_denied")).toBe(true);
  });
});
