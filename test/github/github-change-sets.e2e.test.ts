import type { DeployView } from "../../src/core/commands/command-result.js";
import { TEST_TOKEN } from "../kit/test-app.js";
import type { FakeCommit } from "./fake-github-api.js";
import { startGitHubTestApp, type GitHubTestApp } from "./github-test-kit.js";
import { issueComment, REPO } from "./webhook-fixtures.js";

const LIVE = "1".repeat(40);
const HEAD = "feedfacefeedfacefeedfacefeedfacefeedface";

/**
 * Change sets with the GitHub integration on the fake GitHub API: the compare call, the PR
 * comment, and the cases that list nothing (too large, force-pushed base, GitHub failing) — none
 * of which holds a deploy up.
 */
describe("change sets on GitHub, end to end", () => {
  let g: GitHubTestApp;
  beforeEach(async () => {
    g = await startGitHubTestApp();
    const live = await g.t.command(`deploy donations staging ${LIVE}`);
    await g.t.runDeploy(live.deploy!.id);
    await settled();
  });
  afterEach(() => g.close());

  async function settled(): Promise<void> {
    await g.t.app.changeSets.idle();
    await g.settle();
  }
  const viewOf = async (id: string): Promise<DeployView> =>
    (await (await fetch(`${g.t.url}/api/v1/deploys/${id}`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })).json()) as DeployView;
  const compareCalls = () => g.github.calls.filter((c) => c.path.startsWith(`/repos/${REPO}/compare/`));

  test("a deploy from a PR comment: one compare, and the progress comment lists the merged PRs", async () => {
    const commits: FakeCommit[] = [
      { sha: "a".repeat(40), message: "Receipts in the donor's language", author: "jordan-payments", parents: [LIVE] },
      { sha: "b".repeat(40), message: "Merge pull request #40 from whistlestop-demo/receipts\n\nLocalised receipts", author: "alex-sre", parents: [LIVE, "a".repeat(40)] },
      { sha: "c".repeat(40), message: "Fix the footer for @everyone <b>now</b> (#41)", author: "octocat", parents: ["b".repeat(40)] },
      { sha: HEAD, message: "Work in progress", author: "alice", parents: ["c".repeat(40)] },
    ];
    g.github.comparisons.set(`${REPO}@${LIVE}...${HEAD}`, { commits });
    g.github.pulls.set(`${REPO}#42`, { state: "open", merged: false, headSha: HEAD, headRef: "fix-receipts" });
    await g.send("issue_comment", issueComment({ body: "/deploy staging", login: "alice", commentId: 7001 }));
    const deploy = (await g.deploysOf("donations", "staging")).find((d) => d.sha === HEAD)!;
    await settled();

    expect(compareCalls().map((c) => c.path)).toEqual([`/repos/${REPO}/compare/${LIVE}...${HEAD}`]);
    // The comment is edited in place once the change set is known (intermediate edits are not awaited).
    const edit = await g.github.waitForCall((c) => c.method === "PATCH" && c.path.startsWith(`/repos/${REPO}/issues/comments/`) && String(c.body?.body).includes("**Changes**"));
    const body = String(edit.body!.body);
    expect(body).toContain(`**Changes**: Ships 4 commits and 2 merged PRs since 1111111. · [compare](https://github.example/${REPO}/compare/${LIVE}...${HEAD})`);
    expect(body).toContain("- #41 Fix the footer for @\u200beveryone \\<b\\>now\\</b\\> — octocat\n- #40 Localised receipts — jordan-payments");
    expect((await viewOf(deploy.id)).changeSet).toMatchObject({ status: "listed", commitCount: 4, pullCount: 2, pulls: [{ number: 41 }, { number: 40, author: "jordan-payments" }] });
  });

  test("a 300-commit compare is counted, not listed; the deploy goes on", async () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ sha: (i + 16).toString(16).padStart(40, "9"), message: `Change ${i} (#${i + 100})`, author: "octocat" }));
    g.github.comparisons.set(`${REPO}@${LIVE}...${HEAD}`, { commits: many });
    const result = await g.t.command(`deploy donations staging ${HEAD}`);
    expect(result.outcome).toBe("started");
    await settled();
    const view = await viewOf(result.deploy!.id);
    expect(view.changeSet).toMatchObject({ status: "too_large", commitCount: 300, pulls: [], summary: "Ships 300 commits since 1111111: too many to list." });
    expect((await g.t.runDeploy(result.deploy!.id)).state).toBe("succeeded");
  });

  test("a live sha GitHub no longer knows (force-pushed away) is said plainly", async () => {
    const result = await g.t.command(`deploy donations staging ${HEAD}`);
    await settled();
    expect((await viewOf(result.deploy!.id)).changeSet).toMatchObject({ status: "base_missing", baseSha: LIVE, summary: expect.stringContaining("force-pushed away?") });
  });

  test("a compare GitHub keeps failing becomes a change set that says so; the deploy is not held up and GitHub is asked again next time", async () => {
    g.github.fail("GET", /\/compare\//, 502, 100);
    const result = await g.t.command(`deploy donations staging ${HEAD}`);
    expect(result).toMatchObject({ outcome: "started", deploy: { state: "running" } });
    await settled();
    expect((await viewOf(result.deploy!.id)).changeSet).toMatchObject({ status: "failed", summary: expect.stringMatching(/^Changes not listed\. The commits could not be compared: GitHub's compare of 1111111\.\.\.feedfac in .* failed \(GitHub answered 502/) });
    expect((await g.t.runDeploy(result.deploy!.id)).state).toBe("succeeded");

    g.github.clearFailures();
    g.github.comparisons.set(`${REPO}@${HEAD}...${"d".repeat(40)}`, { commits: [{ sha: "d".repeat(40), message: "Back (#50)", author: "octocat" }] });
    const next = await g.t.command(`deploy donations staging ${"d".repeat(40)}`);
    await settled();
    expect((await viewOf(next.deploy!.id)).changeSet).toMatchObject({ status: "listed", pullCount: 1 });
  });
});
