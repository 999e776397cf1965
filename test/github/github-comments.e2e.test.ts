import { describeCall, startGitHubTestApp, type GitHubTestApp } from "./github-test-kit.js";
import { issueComment, mergedPullRequest, REPO } from "./webhook-fixtures.js";

const HEAD_SHA = "feedfacefeedfacefeedfacefeedfacefeedface";

describe("GitHub comment commands, end to end", () => {
  let g: GitHubTestApp;
  beforeEach(async () => {
    g = await startGitHubTestApp();
  });
  afterEach(async () => {
    await g.close();
  });

  const reactions = (commentId: number) =>
    g.github.writes().filter((c) => c.path === `/repos/${REPO}/issues/comments/${commentId}/reactions`).map((c) => c.body!.content);
  const replies = (number = 42) => g.github.writes().filter((c) => c.method === "POST" && c.path === `/repos/${REPO}/issues/${number}/comments`);

  test("/deploy staging on an open PR by a write user → branch deploy of the PR head: 👀, StartPipelineExecution at the head, 🚀, progress comment", async () => {
    g.github.pulls.set(`${REPO}#42`, { state: "open", merged: false, headSha: HEAD_SHA, headRef: "fix-receipts" });
    const answer = await g.send("issue_comment", issueComment({ body: "/deploy staging\nplease and thank you", login: "alice", commentId: 7001 }));
    expect(answer.status).toBe(200);

    const [deploy] = await g.deploysOf("donations", "staging");
    expect(deploy).toMatchObject({ sha: HEAD_SHA, actor: "alice", surface: "github", automatic: false, prNumber: 42, commandCommentId: 7001, state: "running" });
    expect(JSON.stringify(g.t.emulator.emulator.executions("donations-staging")[0])).toContain(HEAD_SHA);
    await g.settle();

    // 👀 and the PR lookup go out together, before anything else.
    expect(g.github.apiCalls().slice(0, 2).map(describeCall).sort()).toEqual([`GET /repos/${REPO}/pulls/42`, `POST /repos/${REPO}/issues/comments/7001/reactions`]);
    expect(reactions(7001)).toEqual(["eyes", "rocket"]);
    // The only comment is the deploy's own progress comment, not a reply.
    expect(replies()).toHaveLength(1);
    expect(String(replies()[0]!.body!.body)).toContain("🚀 Deploy of donations to staging is running");
    expect(String(replies()[0]!.body!.body)).toContain("requested by @alice via github");
    // No lookup of the head sha: GitHub's own PR answer vouched for it.
    expect(g.github.calls.some((c) => c.path.includes("/commits/"))).toBe(false);
  });

  test("/deploy staging by a read-only user → 👎 and a reply with permission_denied; nothing deployed", async () => {
    g.github.pulls.set(`${REPO}#42`, { state: "open", merged: false, headSha: HEAD_SHA });
    g.github.permissions.set(`${REPO}#reader`, "read");
    await g.send("issue_comment", issueComment({ body: "/deploy staging", login: "reader", commentId: 7002 }));
    await g.settle();
    expect(await g.deploysOf("donations")).toHaveLength(0);
    expect(g.t.emulator.emulator.executions("donations-staging")).toHaveLength(0);
    expect(reactions(7002)).toEqual(["eyes", "-1"]);
    expect(replies()).toHaveLength(1);
    const reply = String(replies()[0]!.body!.body);
    expect(reply).toContain("permission_denied");
    expect(reply).toContain("@reader");
    expect(reply).toContain("reader has read access to whistlestop-demo/donations");
    expect(reply.startsWith("> /deploy staging")).toBe(true);
  });

  test("/rollback on a merged PR → a rollback run wherever its merge commit is live", async () => {
    const before = await g.t.command(`deploy donations staging ${"0".repeat(40)}`);
    await g.t.runDeploy(before.deploy!.id);
    const mergeSha = "2222222222222222222222222222222222222222";
    await g.send("pull_request", mergedPullRequest({ number: 42, mergeSha }));
    const [merged] = await g.deploysOf("donations", "staging");
    await g.t.runDeploy(merged!.id);
    g.github.pulls.set(`${REPO}#42`, { state: "closed", merged: true, headSha: HEAD_SHA, mergeCommitSha: mergeSha });

    await g.send("issue_comment", issueComment({ body: "/rollback", login: "alice", commentId: 7003 }));
    const rollback = (await g.deploysOf("donations", "staging")).find((d) => d.rollbackOf);
    expect(rollback).toMatchObject({ rollbackOf: merged!.id, sha: "0".repeat(40), actor: "alice", state: "running" });
    const done = await g.t.runDeploy(rollback!.id);
    expect(done.state).toBe("succeeded");
    expect(g.t.emulator.emulator.executions("donations-staging").at(-1)).toMatchObject({ type: "ROLLBACK" });
    await g.settle();
    const summary = replies().map((c) => String(c.body!.body)).find((body) => body.startsWith("> /rollback"));
    expect(summary).toContain("**staging**: Rollback of donations/staging at 0000000");
    const deployment = g.github.writes().find((c) => c.path === `/repos/${REPO}/deployments` && c.body!.task === "deploy:rollback");
    expect(deployment?.body).toMatchObject({ environment: "staging", ref: "0".repeat(40), payload: { deployId: rollback!.id, rollbackOf: merged!.id } });
  });

  test("/rollback on a merged PR that is not live anywhere → 👎 not_found", async () => {
    g.github.pulls.set(`${REPO}#42`, { state: "closed", merged: true, headSha: HEAD_SHA, mergeCommitSha: "3".repeat(40) });
    await g.send("issue_comment", issueComment({ body: "/rollback", login: "alice", commentId: 7004 }));
    await g.settle();
    expect(reactions(7004)).toEqual(["eyes", "-1"]);
    expect(String(replies()[0]!.body!.body)).toContain("`not_found`");
  });

  test("when GitHub cannot say what the PR's head is, nothing is deployed and the commenter is told", async () => {
    g.github.fail("GET", /\/pulls\/42$/, 502, 10);
    await g.send("issue_comment", issueComment({ body: "/deploy staging", commentId: 7014 }));
    await g.settle();
    expect(await g.deploysOf("donations")).toHaveLength(0);
    expect(reactions(7014)).toEqual(["eyes", "-1"]);
    expect(String(replies()[0]!.body!.body)).toContain("could not read this pull request from GitHub (GitHub answered 502");
  });

  test("ordinary comments, quoted commands and comments by bots do nothing at all", async () => {
    await g.send("issue_comment", issueComment({ body: "LGTM, ship it", commentId: 7005 }));
    await g.send("issue_comment", issueComment({ body: "> /deploy staging\nwhy did this fail?", commentId: 7006 }));
    await g.send("issue_comment", issueComment({ body: "/deploy staging", login: "whistlestop[bot]", userType: "Bot", commentId: 7007 }));
    await g.send("issue_comment", issueComment({ body: "see /deploy staging above", commentId: 7008 }));
    await g.settle();
    expect(g.github.calls).toHaveLength(0);
    expect(await g.deploysOf("donations")).toHaveLength(0);
  });

  test("/deploy on a plain issue deploys the default branch head; /deploys answers with what is where", async () => {
    g.github.refs.set(`${REPO}@main`, "4444444444444444444444444444444444444444");
    await g.send("issue_comment", issueComment({ body: "/deploy staging", onPullRequest: false, number: 9, commentId: 7009 }));
    const [deploy] = await g.deploysOf("donations", "staging");
    expect(deploy).toMatchObject({ sha: "4444444444444444444444444444444444444444", ref: "default branch", prNumber: 9 });
    await g.send("issue_comment", issueComment({ body: "/deploys", number: 9, onPullRequest: false, commentId: 7010 }));
    await g.settle();
    const reply = replies(9)
      .map((c) => String(c.body!.body))
      .find((body) => body.startsWith("> /deploys"));
    expect(reply).toContain("donations/staging: nothing live · running 4444444 by octocat");
    expect(reactions(7010)).toEqual(["eyes"]);
  });

  test("a redelivered comment does nothing new", async () => {
    g.github.pulls.set(`${REPO}#42`, { state: "open", merged: false, headSha: HEAD_SHA });
    const payload = issueComment({ body: "/deploy staging", commentId: 7011 });
    const first = await g.send("issue_comment", payload);
    await g.settle();
    const calls = g.github.calls.length;
    await g.send("issue_comment", payload, { delivery: first.delivery });
    await g.settle();
    expect(g.github.calls.length).toBe(calls);
    expect(await g.deploysOf("donations")).toHaveLength(1);
  });

  test("/lock then /unlock from comments: the core decides, the reply says what happened", async () => {
    await g.send("issue_comment", issueComment({ body: "/lock staging for 2h debate prep", commentId: 7012 }));
    expect(await g.t.store.listLocks(new Date())).toEqual([expect.objectContaining({ service: "donations", env: "staging", owner: "octocat", reason: "debate prep" })]);
    await g.send("issue_comment", issueComment({ body: "/unlock staging", commentId: 7013 }));
    await g.settle();
    expect(await g.t.store.listLocks(new Date())).toEqual([]);
    expect(replies().map((c) => String(c.body!.body).split("\n")[0])).toEqual(["> /lock staging for 2h debate prep", "> /unlock staging"]);
  });
});
