import { loadTestConfig } from "../kit/test-app.js";
import { startGitHubTestApp, type GitHubTestApp } from "./github-test-kit.js";
import { issueComment, REPO } from "./webhook-fixtures.js";

const FORK_HEAD = "badc0ffee0badc0ffee0badc0ffee0badc0ffee0";

describe("/deploy on a pull request from a fork, end to end (signed webhooks)", () => {
  let g: GitHubTestApp;
  afterEach(async () => {
    await g.close();
  });

  const reactions = (commentId: number) =>
    g.github.writes().filter((c) => c.path === `/repos/${REPO}/issues/comments/${commentId}/reactions`).map((c) => c.body!.content);
  const replies = () => g.github.writes().filter((c) => c.method === "POST" && c.path === `/repos/${REPO}/issues/42/comments`).map((c) => String(c.body!.body));

  test.each([
    ["its head", "/deploy staging", "mallory/donations"],
    ["a named sha (the fork's commits are reachable through the base repository)", `/deploy staging ${FORK_HEAD}`, "mallory/donations"],
    ["a fork that was deleted (GitHub no longer names the head repository)", "/deploy staging", null],
  ])("refuses to deploy %s: fork_not_allowed, 👎 and a reply; nothing started; the refusal is audited", async (_case, body, headRepo) => {
    g = await startGitHubTestApp();
    g.github.pulls.set(`${REPO}#42`, { state: "open", merged: false, headSha: FORK_HEAD, headRef: "patch-1", headRepo });
    const answer = await g.send("issue_comment", issueComment({ body, login: "alice", commentId: 8001 }));
    expect(answer.status).toBe(200);
    await g.settle();

    expect(await g.deploysOf("donations")).toHaveLength(0);
    expect(g.t.emulator.emulator.executions("donations-staging")).toHaveLength(0);
    expect(reactions(8001)).toEqual(["eyes", "-1"]);
    expect(replies()).toHaveLength(1);
    expect(replies()[0]).toContain("fork_not_allowed");
    expect(replies()[0]).toContain("allow_fork_deploys: true under services.donations");
    const [audited] = await g.t.store.queryAudit({ actorKey: "alice", limit: 5 });
    expect(audited).toMatchObject({ action: "deploy", service: "donations", env: "staging", outcome: "refused", reasonCode: "fork_not_allowed", surface: "github" });
  });

  test("a service with allow_fork_deploys: true deploys the fork's head", async () => {
    const base = loadTestConfig();
    const config = { ...base, services: { ...base.services, donations: { ...base.services.donations!, allowForkDeploys: true } } };
    g = await startGitHubTestApp({ config });
    g.github.pulls.set(`${REPO}#42`, { state: "open", merged: false, headSha: FORK_HEAD, headRepo: "mallory/donations" });
    await g.send("issue_comment", issueComment({ body: "/deploy staging", login: "alice", commentId: 8002 }));
    const [deploy] = await g.deploysOf("donations", "staging");
    expect(deploy).toMatchObject({ sha: FORK_HEAD, actor: "alice", prNumber: 42 });
  });

  test("a merged fork PR is no longer a fork's code: /deploy deploys the default branch as anywhere else", async () => {
    g = await startGitHubTestApp();
    g.github.pulls.set(`${REPO}#42`, { state: "closed", merged: true, headSha: FORK_HEAD, headRepo: "mallory/donations", mergeCommitSha: "4".repeat(40) });
    g.github.refs.set(`${REPO}@main`, "4".repeat(40));
    await g.send("issue_comment", issueComment({ body: "/deploy staging", login: "alice", commentId: 8003 }));
    const [deploy] = await g.deploysOf("donations", "staging");
    expect(deploy).toMatchObject({ sha: "4".repeat(40), ref: "default branch" });
  });
});
