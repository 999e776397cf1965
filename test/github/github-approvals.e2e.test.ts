import { ADMIN_TOKEN, exampleConfigText, loadTestConfig, TEST_TOKEN } from "../kit/test-app.js";
import { startGitHubTestApp, type GitHubTestApp } from "./github-test-kit.js";
import { issueComment, REPO } from "./webhook-fixtures.js";

const REVIEWER_TOKEN = "reviewer-token-0123456789abcdef";

/** examples/whistlestop.yml with one approval for donations/prod from the SREs, rita, or the reviewer API client. */
function approvalsConfig() {
  const text = exampleConfigText()
    .replace(
      '        deployers: ["@whistlestop-demo/payments", "api:sandbox"]',
      '        deployers: ["@whistlestop-demo/payments", "api:sandbox"]\n        approvals: { required: 1, from: ["@whistlestop-demo/sre", rita, "api:reviewer"], expires: 30m }',
    );
  // examples/whistlestop.yml declares the reviewer client (may: approve, reject; prod).
  if (!text.includes("api:reviewer")) throw new Error("the example config changed: donations prod deployers not found");
  return loadTestConfig(text);
}

/**
 * approve and reject from the HTTP API and from GitHub comments, through the real server: the API
 * client's token is its identity, a comment's author is theirs; every answer is audited with the deploy id.
 */
describe("approvals from the API and GitHub comments", () => {
  let g: GitHubTestApp;
  beforeEach(async () => {
    g = await startGitHubTestApp({ config: approvalsConfig(), apiTokens: `ci:${TEST_TOKEN},sandbox-admin:${ADMIN_TOKEN},reviewer:${REVIEWER_TOKEN}` });
  });
  afterEach(async () => {
    await g.close();
  });

  const executions = () => g.t.emulator.emulator.executions("donations-production");
  const replies = (number = 42) => g.github.writes().filter((c) => c.method === "POST" && c.path === `/repos/${REPO}/issues/${number}/comments`).map((c) => String(c.body!.body));
  const reactions = (commentId: number) => g.github.writes().filter((c) => c.path === `/repos/${REPO}/issues/comments/${commentId}/reactions`).map((c) => c.body!.content);

  /** staging runs main; the admin client asks for prod, which waits. */
  async function askForProd(): Promise<string> {
    const staging = await g.t.command(`deploy donations staging ${"1".repeat(40)}`);
    if (!staging.deploy) throw new Error(JSON.stringify(staging));
    await g.t.runDeploy(staging.deploy.id);
    const asked = await g.t.command("deploy donations prod --yes", ADMIN_TOKEN);
    expect(asked).toMatchObject({ status: 200, outcome: "waiting", deploy: { state: "awaiting_approval", approval: { required: 1, approvedBy: [] } } });
    expect(asked.message).toContain("needs 1 approval from @whistlestop-demo/sre, rita, api:reviewer");
    return asked.deploy!.id;
  }

  test("API: the requester's own approve is self_approval; another client's approve starts it once; both audited with the deploy id", async () => {
    const id = await askForProd();
    expect(await g.t.command(`approve ${id}`, ADMIN_TOKEN)).toMatchObject({ status: 200, outcome: "refused", reasonCode: "self_approval" });
    expect(await g.t.command(`approve ${id}`, TEST_TOKEN)).toMatchObject({ outcome: "refused", reasonCode: "not_an_approver" });
    const approved = await g.t.command(`approve ${id}`, REVIEWER_TOKEN);
    expect(approved).toMatchObject({ status: 200, outcome: "started", deploy: { id, state: "running", approval: { approvedBy: ["api:reviewer"] } } });
    expect(await g.t.command(`approve ${id}`, REVIEWER_TOKEN)).toMatchObject({ outcome: "refused", reasonCode: "not_found" });
    expect(executions()).toHaveLength(1);
    const audit = (await g.t.store.listAudit({ deployId: id })).filter((e) => e.action === "approve").reverse();
    expect(audit.map((e) => [e.actor, e.outcome, e.reasonCode, e.service, e.env])).toEqual([
      ["api:sandbox-admin", "refused", "self_approval", "donations", "prod"],
      ["api:ci", "refused", "not_an_approver", "donations", "prod"],
      ["api:reviewer", "started", undefined, "donations", "prod"],
      ["api:reviewer", "refused", "not_found", "donations", "prod"],
    ]);
    const view = await (await fetch(`${g.t.url}/api/v1/deploys/${id}`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })).json();
    expect(view).toMatchObject({ id, state: "running", approval: { required: 1, approvedBy: ["api:reviewer"] } });
  });

  test("API: reject with a reason cancels it; unknown and malformed ids are clear errors that change nothing", async () => {
    const id = await askForProd();
    expect(await g.t.command(`reject ${id} --reason "wait for the rally to end"`, REVIEWER_TOKEN)).toMatchObject({ outcome: "done", message: expect.stringContaining("(wait for the rally to end); it will not run") });
    expect(await g.t.store.getDeploy(id)).toMatchObject({ state: "cancelled", error: "rejected by api:reviewer: wait for the rally to end" });
    expect(await g.t.command("approve d-does-not-exist", REVIEWER_TOKEN)).toMatchObject({ outcome: "refused", reasonCode: "not_found" });
    expect(await g.t.command("approve not_an_id!", REVIEWER_TOKEN)).toMatchObject({ outcome: "refused", reasonCode: "bad_command" });
    expect((await g.t.store.listAudit({ deployId: id })).find((e) => e.action === "reject")).toMatchObject({ actor: "api:reviewer", outcome: "done", message: expect.stringContaining("wait for the rally to end") });
    expect(executions()).toHaveLength(0);
  });

  test("GitHub: /approve <id> by a listed approver starts it and says so; /reject by a stranger is refused; both audited", async () => {
    const id = await askForProd();
    await g.send("issue_comment", issueComment({ body: `/reject ${id} --reason "not me"`, login: "eve", commentId: 8101 }));
    await g.settle();
    expect(reactions(8101)).toEqual(["eyes", "-1"]);
    expect(replies().at(-1)).toContain("`not_an_approver`");
    await g.send("issue_comment", issueComment({ body: `/approve ${id}`, login: "rita", commentId: 8102 }));
    await g.settle();
    expect(reactions(8102)).toEqual(["eyes"]);
    expect(replies().at(-1)).toMatch(new RegExp(`^> /approve ${id}\\n\\n@rita Approved by rita \\(1 of 1 approval\\): deploy ${id} of donations/prod at [0-9a-f]{7} started\\.$`));
    expect(executions()).toHaveLength(1);
    const audit = (await g.t.store.listAudit({ deployId: id })).filter((e) => e.action === "approve" || e.action === "reject").reverse();
    expect(audit.map((e) => [e.action, e.actor, e.surface, e.outcome])).toEqual([
      ["reject", "eve", "github", "refused"],
      ["approve", "rita", "github", "started"],
    ]);
  });

  test("GitHub: a bare /approve belongs to other bots: no 👀, no reply, nothing approved", async () => {
    const id = await askForProd();
    const before = replies().length;
    await g.send("issue_comment", issueComment({ body: "/approve", login: "rita", commentId: 8103 }));
    await g.settle();
    expect(reactions(8103)).toEqual([]);
    expect(replies()).toHaveLength(before);
    expect(await g.t.store.getDeploy(id)).toMatchObject({ state: "awaiting_approval" });
  });
});
