import { mergedPulls } from "../../../src/core/changes/merged-pulls.js";
import type { ComparedCommit } from "../../../src/core/ports/source-control.js";

const commit = (sha: string, message: string, author?: string, parents: string[] = []): ComparedCommit => ({ sha, message, parents, ...(author ? { author } : {}) });

describe("merged pull requests read from commit messages", () => {
  test("a squash merge's subject ends in (#n): title without it, the commit's author is the PR's", () => {
    expect(mergedPulls([commit("a1", "Retry the payment processor on 503 (#31)\n\n* retry\n* tests", "jordan")])).toEqual([
      { number: 31, title: "Retry the payment processor on 503", author: "jordan" },
    ]);
  });

  test("a merge commit names the PR; the title is the body's first line, the author wrote the merged branch", () => {
    const commits = [
      commit("b1", "Load the checkout script lazily", "jordan", ["m0"]),
      commit("b2", "Prefetch the payment form", "jordan", ["b1"]),
      commit("m1", "Merge pull request #7 from hfa/faster-checkout\n\nFaster checkout\n\nLonger description", "alex-sre", ["m0", "b2"]),
    ];
    expect(mergedPulls(commits)).toEqual([{ number: 7, title: "Faster checkout", author: "jordan" }]);
  });

  test("a merge commit whose branch tip is not listed has no author rather than the merger's", () => {
    expect(mergedPulls([commit("m1", "Merge pull request #8 from someone/fix", "merger", ["m0", "elsewhere"])])).toEqual([{ number: 8, title: "Merge pull request #8 from someone/fix" }]);
  });

  test("newest first, each PR once, plain and rebased commits are not PRs", () => {
    const commits = [
      commit("c1", "Add a feature (#10)", "alice"),
      commit("c2", "Fix a typo", "bob"),
      commit("c3", "Another (#11)", "bob"),
      commit("c4", 'Revert "Add a feature (#10)" (#12)', "carol"),
      commit("c5", "Add a feature again (#10)", "alice"),
    ];
    expect(mergedPulls(commits).map((p) => p.number)).toEqual([10, 12, 11]);
  });

  test("(#n) in the middle of a subject, issue refs and malformed numbers name no PR", () => {
    const commits = [commit("d1", "Fixes (#3) in the middle"), commit("d2", "Closes #4"), commit("d3", "Too big (#12345678901)"), commit("d4", "(#5)")];
    expect(mergedPulls(commits)).toEqual([]);
  });

  test("titles are flattened and clipped; CRLF messages work", () => {
    const long = "x".repeat(300);
    const [pull] = mergedPulls([commit("e1", `${long} (#2)\r\nbody`, "a")]);
    expect(pull!.title).toHaveLength(200);
    expect(pull!.title.endsWith("…")).toBe(true);
    expect(mergedPulls([commit("e2", "Merge pull request #3 from a/b\r\n\r\n  Spaced   title  ", undefined, ["x", "y"])])).toEqual([{ number: 3, title: "Spaced title" }]);
  });
});
