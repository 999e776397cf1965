import { changeSetMarkdown, markdownText } from "../../src/adapters/github/change-set-markdown.js";
import { deployCommentBody } from "../../src/adapters/github/deploy-comment-body.js";
import type { ChangeSet } from "../../src/core/model/change-set.js";
import { changeSetFixture } from "../fakes/change-set-fixture.js";
import { aDeploy } from "../kit/builders.js";

const changeSet = (fields: Partial<ChangeSet> = {}): ChangeSet => changeSetFixture({ commitCount: 4, pullCount: 3, compareUrl: "https://github.com/hfa/donations/compare/1a2b3c4...9f8e7d6", ...fields });

const deploy = aDeploy({
  id: "d-7",
  env: "prod",
  pipelineName: "donations-prod",
  sha: "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
  ref: "live in staging",
  actor: "alice",
  actorLogin: "alice",
  surface: "github",
  stages: [{ name: "Deploy", status: "running" }],
  requestedAt: "2026-11-03T19:00:00Z",
  startedAt: "2026-11-03T19:00:00Z",
});

describe("the change set in the PR comment", () => {
  test("the sentence, the compare link, the PRs (GitHub links #n) and how many more", () => {
    expect(changeSetMarkdown(changeSet())).toEqual([
      "**Changes**: Ships 4 commits and 3 merged PRs since 1a2b3c4. · [compare](https://github.com/hfa/donations/compare/1a2b3c4...9f8e7d6)",
      "- #12 Retry the payment processor on 503 — jordan-payments",
      "- #11 Log requests as JSON",
      "- …and 1 more merged PR",
    ]);
  });

  test("sits under the stage line of the deploy's comment", () => {
    const body = deployCommentBody({ event: { type: "progress", deploy: { ...deploy, changeSet: changeSet() }, at: "2026-11-03T19:01:00Z" } });
    expect(body).toContain("● Deploy\n\n**Changes**: Ships 4 commits");
    expect(deployCommentBody({ event: { type: "progress", deploy, at: "2026-11-03T19:01:00Z" } })).not.toContain("**Changes**");
  });

  test("a rollback's comment lists what it takes out; statuses without a list say why", () => {
    expect(changeSetMarkdown(changeSet({ direction: "takes_out", pulls: [], pullCount: 0, commitCount: 2 }))[0]).toBe(
      "**Takes out**: Takes out 2 commits of 1a2b3c4, the live release. · [compare](https://github.com/hfa/donations/compare/1a2b3c4...9f8e7d6)",
    );
    expect(changeSetMarkdown(changeSet({ status: "too_large", commitCount: 600, pulls: [], pullCount: undefined }))).toEqual([
      "**Changes**: Ships 600 commits since 1a2b3c4: too many to list. · [compare](https://github.com/hfa/donations/compare/1a2b3c4...9f8e7d6)",
    ]);
    expect(changeSetMarkdown(changeSet({ status: "failed", detail: "The commits could not be compared: GitHub answered 502", pulls: [], pullCount: undefined, commitCount: undefined, compareUrl: undefined }))).toEqual([
      "**Changes**: Changes not listed. The commits could not be compared: GitHub answered 502",
    ]);
  });

  test("titles cannot format, link, embed or mention anyone", () => {
    expect(markdownText("![x](https://tracker.example/p.png) <img src=x> @octocat @hfa/sre *bold* `code`\nnext")).toBe(
      "\\!\\[x\\](https://tracker.example/p.png) \\<img src=x\\> @\u200boctocat @\u200bhfa/sre \\*bold\\* \\`code\\` next",
    );
    expect(changeSetMarkdown(changeSet({ compareUrl: "https://github.com/a/b/compare/x...y) [pwn](https://evil" }))[0]).toContain("[compare](https://github.com/a/b/compare/x...y%29%20[pwn]%28https://evil)");
  });
});
