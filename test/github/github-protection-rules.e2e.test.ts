import type { WindowConfig } from "../../src/core/model/config.js";
import { ADMIN_TOKEN, loadTestConfig } from "../kit/test-app.js";
import { startGitHubTestApp, type GitHubTestApp } from "./github-test-kit.js";
import { protectionRuleRequested, REPO } from "./webhook-fixtures.js";

const RUN = 9876;

describe("GitHub deployment protection rules, end to end", () => {
  let g: GitHubTestApp;
  afterEach(async () => {
    await g.close();
  });

  const callbackUrl = () => `${g.github.baseUrl}/repos/${REPO}/actions/runs/${RUN}/deployment_protection_rule`;
  const reviews = () => g.github.writes().filter((c) => c.path === `/repos/${REPO}/actions/runs/${RUN}/deployment_protection_rule`);

  test("approves a workflow deploy to an environment with nothing in the way", async () => {
    g = await startGitHubTestApp();
    const answer = await g.send("deployment_protection_rule", protectionRuleRequested({ environment: "prod", callbackUrl: callbackUrl() }));
    expect(answer.status).toBe(200);
    expect(reviews()).toHaveLength(1);
    expect(reviews()[0]!.body).toEqual({ environment_name: "prod", state: "approved", comment: "Whistlestop: donations/prod is not locked and no critical window is open." });
  });

  test("a protection-rule request while locked → rejected with a comment naming the lock", async () => {
    g = await startGitHubTestApp();
    const locked = await g.t.command("lock donations prod for 2h results night", ADMIN_TOKEN);
    expect(locked.outcome).toBe("done");
    await g.send("deployment_protection_rule", protectionRuleRequested({ environment: "prod", callbackUrl: callbackUrl() }));
    expect(reviews()).toHaveLength(1);
    const review = reviews()[0]!.body!;
    expect(review).toMatchObject({ environment_name: "prod", state: "rejected" });
    expect(String(review.comment)).toMatch(/^Whistlestop rejected this deployment: donations\/prod is locked by api:sandbox-admin since .* \(results night\)/);
    // The callback is made with the installation's token, not the app's JWT.
    expect(reviews()[0]!.authorization).toBe("token ghs_fake1token");
  });

  test("rejected during an open deny window, naming the window", async () => {
    const base = loadTestConfig();
    const always: WindowConfig = {
      name: "Debate night",
      kind: "deny",
      environments: ["prod"],
      services: [],
      reason: "Debate traffic",
      allowRollback: true,
      timezone: base.timezone,
      schedule: { openAt: (at) => ({ start: new Date(at.getTime() - 3_600_000), end: new Date(at.getTime() + 3_600_000) }), nextAfter: () => null },
    };
    g = await startGitHubTestApp({ config: { ...base, windows: [always] } });
    await g.send("deployment_protection_rule", protectionRuleRequested({ environment: "prod", callbackUrl: callbackUrl() }));
    expect(reviews()[0]!.body).toMatchObject({ state: "rejected", comment: expect.stringContaining('frozen by the window "Debate night" (Debate traffic)') });
  });

  test("an unmapped GitHub environment is rejected (fail closed) with how to map it, audited; a redelivery is not reviewed twice", async () => {
    g = await startGitHubTestApp();
    const payload = protectionRuleRequested({ environment: "production", callbackUrl: callbackUrl(), creator: "octocat" });
    const first = await g.send("deployment_protection_rule", payload);
    await g.send("deployment_protection_rule", payload, { delivery: first.delivery });
    expect(reviews()).toHaveLength(1);
    const review = reviews()[0]!.body!;
    expect(review).toMatchObject({ environment_name: "production", state: "rejected" });
    expect(String(review.comment)).toContain('the GitHub environment "production" maps to none of its environments (staging, prod)');
    expect(String(review.comment)).toContain('github_environment: "production" under environments.prod');
    const audit = await g.t.store.queryAudit({ actorKey: "octocat", limit: 5 });
    expect(audit).toEqual([expect.objectContaining({ action: "protection_rule", outcome: "rejected", reasonCode: "unmapped_environment", surface: "github", service: "donations" })]);
  });

  test("a repository no service uses is rejected too: the rule was enabled expecting checks", async () => {
    g = await startGitHubTestApp();
    const other = "whistlestop-demo/not-configured";
    const url = `${g.github.baseUrl}/repos/${other}/actions/runs/${RUN}/deployment_protection_rule`;
    await g.send("deployment_protection_rule", protectionRuleRequested({ environment: "prod", callbackUrl: url, repo: other }));
    const [call] = g.github.writes().filter((c) => c.path === `/repos/${other}/actions/runs/${RUN}/deployment_protection_rule`);
    expect(call!.body).toMatchObject({ state: "rejected", comment: expect.stringContaining(`no service in whistlestop.yml has repo: ${other}`) });
  });

  test("github_environment maps a differently named GitHub environment: approved when clear, rejected while locked, both audited", async () => {
    const base = loadTestConfig();
    const config = { ...base, environments: { ...base.environments, prod: { ...base.environments.prod!, githubEnvironment: "Production" } } };
    g = await startGitHubTestApp({ config });
    await g.send("deployment_protection_rule", protectionRuleRequested({ environment: "production", callbackUrl: callbackUrl() }));
    expect(reviews()[0]!.body).toEqual({ environment_name: "production", state: "approved", comment: "Whistlestop: donations/prod is not locked and no critical window is open." });

    await g.t.command("lock donations prod for 2h results night", ADMIN_TOKEN);
    await g.send("deployment_protection_rule", protectionRuleRequested({ environment: "production", callbackUrl: callbackUrl() }));
    expect(reviews()[1]!.body).toMatchObject({ state: "rejected", comment: expect.stringContaining("donations/prod is locked by api:sandbox-admin") });
    const audit = await g.t.store.queryAudit({ service: "donations", env: "prod", limit: 10 });
    expect(audit.filter((a) => a.action === "protection_rule").map((a) => [a.outcome, a.reasonCode])).toEqual([
      ["rejected", "locked"],
      ["approved", undefined],
    ]);
  });

  test("a callback URL that is not on the configured GitHub API gets no token and no review", async () => {
    g = await startGitHubTestApp();
    await g.send("deployment_protection_rule", protectionRuleRequested({ environment: "prod", callbackUrl: `https://evil.example/repos/${REPO}/actions/runs/${RUN}/deployment_protection_rule` }));
    expect(g.github.calls).toHaveLength(0);
  });
});
