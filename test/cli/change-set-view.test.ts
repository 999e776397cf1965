import type { ChangeSetView } from "../../src/core/commands/command-result.js";
import { changeSetLines, describeChanges, renderFrame } from "../../src/cli/progress-view.js";
import { changeSetFixture } from "../fakes/change-set-fixture.js";
import { view } from "./fake-whistlestop.js";

const now = new Date("2026-03-01T12:01:00.000Z");
const changeSet = (fields: Partial<ChangeSetView> = {}): ChangeSetView => ({
  ...changeSetFixture({ commitCount: 14, pullCount: 5, compareUrl: "https://github.com/hfa/donations/compare/1a2b3c4...a1b2c3d" }),
  summary: "Ships 14 commits and 5 merged PRs since 1a2b3c4.",
  ...fields,
});

describe("the change set in the CLI's progress view", () => {
  test("under the headline: the sentence, the PRs, how many more, the compare page", () => {
    const frame = renderFrame(view({ changeSet: changeSet() }), { now, color: false });
    expect(frame.slice(0, 6)).toEqual([
      "donations → staging  a1b2c3d  by sandbox  (deploy d-42)",
      "  changes  Ships 14 commits and 5 merged PRs since 1a2b3c4.",
      "    #12 Retry the payment processor on 503 — jordan-payments",
      "    #11 Log requests as JSON",
      "    …and 3 more merged PRs",
      "    https://github.com/hfa/donations/compare/1a2b3c4...a1b2c3d",
    ]);
    expect(frame[6]).toBe("  ✓ Source  3s");
  });

  test("a rollback says what it takes out; no change set yet shows nothing", () => {
    expect(changeSetLines(view({ changeSet: changeSet({ direction: "takes_out", pulls: [], pullCount: 0, summary: "Takes out 2 commits of 1a2b3c4, the live release." }) }), { color: false })).toEqual([
      "  takes out  Takes out 2 commits of 1a2b3c4, the live release.",
      "    https://github.com/hfa/donations/compare/1a2b3c4...a1b2c3d",
    ]);
    expect(changeSetLines(view(), { color: false })).toEqual([]);
  });

  test("titles cannot move the cursor, colour the terminal or reorder the line", () => {
    const evil = changeSet({ pulls: [{ number: 1, title: "Fix\u001b[2J\u001b]0;owned\u0007 it\u202e\nnow", author: "mallory\u0008" }], pullCount: 1 });
    const [, pull] = changeSetLines(view({ changeSet: evil }), { color: false });
    expect(pull).toBe("    #1 Fix [2J ]0;owned  it now — mallory ");
  });

  test("in a log (plain mode) the change set is printed once, when it arrives", () => {
    const before = view();
    const after = view({ changeSet: changeSet({ pulls: [], pullCount: 0, summary: "Ships 14 commits since 1a2b3c4." }) });
    expect(describeChanges(before, after)).toEqual(["changes  Ships 14 commits since 1a2b3c4.", "  https://github.com/hfa/donations/compare/1a2b3c4...a1b2c3d"]);
    expect(describeChanges(after, after)).toEqual([]);
  });
});
