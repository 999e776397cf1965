import { describeChangeSet, describePull, unlistedPulls } from "../../../src/core/changes/describe-change-set.js";
import { changeSetFixture, LIVE_SHA } from "../../fakes/change-set-fixture.js";

describe("the change set's sentence", () => {
  test.each([
    [{}, "Ships 3 commits and 2 merged PRs since 1a2b3c4."],
    [{ commitCount: 1, pullCount: 0, pulls: [] }, "Ships 1 commit since 1a2b3c4."],
    [{ direction: "takes_out" as const, commitCount: 2, pullCount: 1 }, "Takes out 2 commits and 1 merged PR of 1a2b3c4, the live release."],
    [{ commitCount: 0, pullCount: 0, pulls: [], headSha: LIVE_SHA }, "Nothing changes: 1a2b3c4 is what is live."],
    [{ reverseCount: 4 }, "Ships 3 commits and 2 merged PRs since 1a2b3c4. It also takes out 4 commits of 1a2b3c4 that 0123456 does not have (a force-push, or another branch)."],
    [{ direction: "takes_out" as const, reverseCount: 1 }, "Takes out 3 commits and 2 merged PRs of 1a2b3c4, the live release. It also brings back 1 commit that is not live now."],
    [{ status: "too_large" as const, commitCount: 312 }, "Ships 312 commits since 1a2b3c4: too many to list."],
    [{ status: "too_large" as const, direction: "takes_out" as const, commitCount: 312 }, "Takes out 312 commits of 1a2b3c4, the live release: too many to list."],
    [{ status: "first_deploy" as const, baseSha: undefined }, "First deploy here: nothing was live, so there is nothing to compare with."],
    [{ status: "base_missing" as const }, "The live release 1a2b3c4 is not in the repository's history any more (force-pushed away?), so the changes cannot be listed."],
    [{ status: "unavailable" as const, detail: "GitHub is not configured." }, "Changes not listed. GitHub is not configured."],
  ])("%j", (fields, sentence) => {
    expect(describeChangeSet(changeSetFixture(fields))).toBe(sentence);
  });

  test("a PR line and the count of PRs not listed", () => {
    expect(describePull({ number: 7, title: "Faster checkout", author: "jordan" })).toBe("#7 Faster checkout — jordan");
    expect(describePull({ number: 8, title: "No author" })).toBe("#8 No author");
    expect(unlistedPulls(changeSetFixture({ pullCount: 15 }))).toBe(13);
    expect(unlistedPulls(changeSetFixture({ status: "too_large", pulls: [], pullCount: undefined }))).toBe(0);
  });
});
