import type { FakeCommit } from "./fake-github-api.js";
import { startGitHubTestApp, type GitHubTestApp } from "./github-test-kit.js";
import { issueComment, REPO } from "./webhook-fixtures.js";

const LIVE = "1".repeat(40);
const HEAD = "feedfacefeedfacefeedfacefeedfacefeedface";

/** `/diff` and `/status` as PR comments, through the real server and the fake GitHub API. */
describe("GitHub comments: /diff and /status, end to end", () => {
  let g: GitHubTestApp;
  beforeEach(async () => {
    g = await startGitHubTestApp();
    const live = await g.t.command(`deploy donations staging ${LIVE}`);
    await g.t.runDeploy(live.deploy!.id);
    await g.t.app.changeSets.idle();
    await g.settle();
  });
  afterEach(() => g.close());

  const replyTo = (line: string) =>
    g.github
      .writes()
      .filter((c) => c.method === "POST" && c.path === `/repos/${REPO}/issues/42/comments`)
      .map((c) => String(c.body!.body))
      .find((body) => body.startsWith(`> ${line}`));
  const compareCalls = () => g.github.calls.filter((c) => c.path.startsWith(`/repos/${REPO}/compare/`));

  test("/diff staging on an open PR: what deploying its head would ship, as literal text; nothing deployed; the deploy after it compares nothing again", async () => {
    const commits: FakeCommit[] = [
      { sha: "c".repeat(40), message: "Fix the footer for @everyone <b>now</b> (#41)", author: "octocat", parents: [LIVE] },
      { sha: HEAD, message: "Work in progress", author: "alice", parents: ["c".repeat(40)] },
    ];
    g.github.comparisons.set(`${REPO}@${LIVE}...${HEAD}`, { commits });
    g.github.pulls.set(`${REPO}#42`, { state: "open", merged: false, headSha: HEAD, headRef: "fix-footer" });
    const before = (await g.deploysOf("donations")).length;

    await g.send("issue_comment", issueComment({ body: "/diff staging", login: "alice", commentId: 7101 }));
    await g.settle();

    const reply = replyTo("/diff staging");
    expect(reply).toContain("donations/staging: a deploy would put feedfac live; live there: 1111111");
    expect(reply).toContain(`**Changes**: Ships 2 commits and 1 merged PR since 1111111. · [compare](https://github.example/${REPO}/compare/${LIVE}...${HEAD})`);
    expect(reply).toContain("- #41 Fix the footer for @\u200beveryone \\<b\\>now\\</b\\> — octocat");
    expect(reply).toContain("✅ A deploy now passes every policy and would start at once.");
    expect(reply).toContain("_Nothing was deployed: diff only looks._");
    expect((await g.deploysOf("donations")).length).toBe(before);
    expect(g.t.emulator.emulator.executions("donations-staging")).toHaveLength(1);
    expect(compareCalls()).toHaveLength(1);

    // The branch deploy that follows shows the same change set without asking GitHub again.
    await g.send("issue_comment", issueComment({ body: "/deploy staging", login: "alice", commentId: 7102 }));
    const deploy = (await g.deploysOf("donations", "staging")).find((d) => d.sha === HEAD)!;
    await g.t.app.changeSets.idle();
    expect((await g.t.store.getDeploy(deploy.id))?.changeSet).toMatchObject({ status: "listed", commitCount: 2, pullCount: 1 });
    expect(compareCalls()).toHaveLength(1);
  });

  test("/status answers with every environment of the repository's service", async () => {
    await g.send("issue_comment", issueComment({ body: "/status", login: "alice", commentId: 7103 }));
    await g.settle();
    const reply = replyTo("/status")!;
    expect(reply).toMatch(/^> \/status\n\n\*\*donations at .+:\*\*\n- staging: live 1111111, deployed .+ by api:ci\n- prod: nothing live/);
  });
});
