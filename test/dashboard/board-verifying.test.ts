import { startTestApp, loadTestConfig, type TestApp } from "../kit/test-app.js";
import { aNewDeploy } from "../kit/builders.js";
import { CookieClient, fakeGitHubSignIn, identityWithMembers } from "./dashboard-kit.js";
import type { FakeGitHubOAuth } from "../slack/fake-github-oauth.js";

/** A deploy watching its alarms after its pipeline succeeded still holds its target, and the board says so. */
describe("the board shows a verifying deploy", () => {
  let t: TestApp;
  let github: FakeGitHubOAuth;
  const publicUrl = { value: "http://127.0.0.1" };

  beforeEach(async () => {
    const fake = await fakeGitHubSignIn("octocat");
    github = fake.github;
    t = await startTestApp({ config: loadTestConfig(), identity: identityWithMembers(["octocat"]), surfaces: [fake.surface(() => publicUrl.value)] });
    publicUrl.value = t.url;
  });
  afterEach(async () => {
    await t.close();
    await github.close();
  });

  test("with the time left, the alarms watched and a Stop verifying button instead of Roll back", async () => {
    const now = Date.now();
    const deploy = aNewDeploy({ id: "d-verifying-1", service: "donations", env: "prod", sha: "abcdef1234567890abcdef1234567890abcdef12" });
    await t.store.insertDeploy(deploy);
    expect(await t.store.claimSlot(deploy.id, new Date(now))).toBe(true);
    const verification = { alarms: ["donations-5xx", "donations-latency"], startedAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 7 * 60_000 + 1_000).toISOString(), onAlarm: "rollback" as const, checks: 1, failures: 0 };
    expect(await t.store.updateDeploy(deploy.id, { state: "verifying", verification }, "running")).toBeDefined();

    const client = new CookieClient(t.url);
    const board = await client.signIn("/");
    expect(board.status).toBe(200);
    const cell = board.text.slice(board.text.indexOf('data-deploy="d-verifying-1"'));
    expect(cell).toMatch(/verifying, 8 min left \(donations-5xx, donations-latency\)/);
    expect(cell.slice(0, cell.indexOf("</p>"))).toContain("Stop verifying");
  });
});
