import { FakeTime } from "../kit/fake-time.js";
import { whistlestopOctokit } from "../../src/adapters/github/create-github-integration.js";
import { comparisonFrom } from "../../src/adapters/github/github-compare.js";
import type { GitHubRequest } from "../../src/adapters/github/github-request.js";
import { GitHubSourceControl } from "../../src/adapters/github/github-source-control.js";
import { ChangeSetBuilder } from "../../src/core/changes/change-set-builder.js";

import { FakeGitHubApi, type FakeCommit } from "./fake-github-api.js";

const REPO = "hfa/donations";
const BASE = "b".repeat(40);
const HEAD = "c".repeat(40);

/**
 * The compare through the real Octokit (retries on, throttling off) against the fake GitHub API:
 * the exact call, how GitHub's answer is read, and what a failure becomes.
 */
describe("GitHubSourceControl.compare", () => {
  let github: FakeGitHubApi;
  let scm: GitHubSourceControl;
  beforeEach(async () => {
    github = await new FakeGitHubApi().start();
    const octokit = new (whistlestopOctokit({ retryBaseMs: 1, throttle: false }, { warn: () => {} }))({ baseUrl: github.baseUrl, auth: "ghs_test" });
    const request: GitHubRequest = (route, parameters) => octokit.request(route, parameters);
    scm = new GitHubSourceControl({ forRepo: async () => request });
  });
  afterEach(() => github.close());

  const compareCalls = () => github.calls.filter((c) => c.path.includes("/compare/")).map((c) => `${c.method} ${c.path}`);

  test("one GET of base...head; commits oldest first with message, author login (or none) and parents; the page's URL", async () => {
    const commits: FakeCommit[] = [
      { sha: "1".repeat(40), message: "Work on the branch", author: "jordan", parents: [BASE] },
      { sha: "2".repeat(40), message: "Merge pull request #7 from hfa/fast\n\nFaster checkout", author: "alex", parents: [BASE, "1".repeat(40)] },
      { sha: "3".repeat(40), message: "Unlinked author (#8)", parents: ["2".repeat(40)] },
    ];
    github.comparisons.set(`${REPO}@${BASE}...${HEAD}`, { commits });
    const comparison = await scm.compare(REPO, BASE, HEAD);
    expect(compareCalls()).toEqual([`GET /repos/${REPO}/compare/${BASE}...${HEAD}`]);
    expect(comparison).toEqual({
      kind: "compared",
      status: "ahead",
      aheadBy: 3,
      behindBy: 0,
      url: `https://github.example/${REPO}/compare/${BASE}...${HEAD}`,
      commits: [
        { sha: "1".repeat(40), message: "Work on the branch", author: "jordan", parents: [BASE] },
        { sha: "2".repeat(40), message: "Merge pull request #7 from hfa/fast\n\nFaster checkout", author: "alex", parents: [BASE, "1".repeat(40)] },
        { sha: "3".repeat(40), message: "Unlinked author (#8)", parents: ["2".repeat(40)] },
      ],
    });
  });

  test("a sha GitHub does not know (force-pushed away) is an answer, not a failure", async () => {
    expect(await scm.compare(REPO, BASE, HEAD)).toEqual({ kind: "unknown_commit" });
  });

  test("a GitHub that keeps failing is an error naming the range and GitHub's answer", async () => {
    github.fail("GET", /\/compare\//, 502, 10);
    await expect(scm.compare(REPO, BASE, HEAD)).rejects.toThrow(`GitHub's compare of bbbbbbb...ccccccc in ${REPO} failed (GitHub answered 502`);
  });

  test("an answer without the expected fields is refused rather than half-read", () => {
    expect(() => comparisonFrom({ status: "ahead", ahead_by: "3", behind_by: 0, commits: [] })).toThrow(/expected shape/);
    expect(() => comparisonFrom({ status: "sideways", ahead_by: 3, behind_by: 0, commits: [] })).toThrow(/expected shape/);
    expect(comparisonFrom({ status: "identical", ahead_by: 0, behind_by: 0, commits: [{ no: "sha" }], html_url: "javascript:alert(1)" })).toEqual({
      kind: "compared",
      status: "identical",
      aheadBy: 0,
      behindBy: 0,
      commits: [],
    });
  });

  test("through the change set builder: at most one call per range, and a 300-commit range is too large to list", async () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ sha: i.toString(16).padStart(40, "0"), message: `Change ${i} (#${i + 1})`, author: "octocat" }));
    github.comparisons.set(`${REPO}@${BASE}...${HEAD}`, { commits: many });
    const builder = new ChangeSetBuilder(scm, new FakeTime().clock);
    const request = { repo: REPO, liveSha: BASE, sha: HEAD, direction: "ships" as const };
    const [first, second] = await Promise.all([builder.between(request), builder.between(request)]);
    await builder.between(request);
    expect(compareCalls()).toHaveLength(1);
    expect(first).toMatchObject({ status: "too_large", commitCount: 300, pulls: [], compareUrl: expect.stringContaining("/compare/") });
    expect(second).toEqual(first);
  });
});
