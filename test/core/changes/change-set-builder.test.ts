import { FakeTime } from "../../kit/fake-time.js";
import { ChangeSetBuilder } from "../../../src/core/changes/change-set-builder.js";
import type { ComparedCommit, Comparison, SourceControl } from "../../../src/core/ports/source-control.js";
import { sha } from "../../fakes/fakes.js";

const LIVE = sha("1");
const NEXT = sha("2");
const REPO = "hfa/donations";

/** Compares from a table keyed "base...head"; anything else fails like a GitHub outage. */
class TableSourceControl implements SourceControl {
  readonly calls: string[] = [];
  readonly table = new Map<string, Comparison>();
  failing = false;
  async resolveRef(): Promise<string | undefined> {
    return undefined;
  }
  async defaultBranchHead(): Promise<string | undefined> {
    return undefined;
  }
  async compare(repo: string, base: string, head: string): Promise<Comparison> {
    this.calls.push(`${repo} ${base.slice(0, 1)}...${head.slice(0, 1)}`);
    if (this.failing) throw new Error("GitHub answered 502: Bad Gateway\nstack");
    const answer = this.table.get(`${base}...${head}`);
    if (!answer) throw new Error("no such comparison in the test table");
    return answer;
  }
}

const squash = (n: number, author = "alice"): ComparedCommit => ({ sha: `c${n}`, message: `Change ${n} (#${n})`, author, parents: [] });
const compared = (commits: ComparedCommit[], fields: Partial<Extract<Comparison, { kind: "compared" }>> = {}): Comparison => ({
  kind: "compared",
  status: "ahead",
  aheadBy: commits.length,
  behindBy: 0,
  commits,
  url: "https://github.com/hfa/donations/compare/x...y",
  ...fields,
});

describe("ChangeSetBuilder", () => {
  let source: TableSourceControl;
  let builder: ChangeSetBuilder;
  beforeEach(() => {
    source = new TableSourceControl();
    builder = new ChangeSetBuilder(source, new FakeTime("2026-12-03T10:00:00Z").clock);
  });

  test("lists the commit count, at most 10 merged PRs newest first with the total, and the compare link", async () => {
    const commits = Array.from({ length: 15 }, (_, i) => squash(i + 1));
    commits.splice(3, 0, { sha: "plain", message: "A plain commit", parents: [] });
    source.table.set(`${LIVE}...${NEXT}`, compared(commits));
    const changeSet = await builder.between({ repo: REPO, liveSha: LIVE, sha: NEXT, direction: "ships" });
    expect(changeSet).toMatchObject({
      status: "listed",
      direction: "ships",
      baseSha: LIVE,
      headSha: NEXT,
      commitCount: 16,
      pullCount: 15,
      compareUrl: "https://github.com/hfa/donations/compare/x...y",
      computedAt: "2026-12-03T10:00:00.000Z",
    });
    expect(changeSet.pulls.map((p) => p.number)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    expect(changeSet.pulls[0]).toEqual({ number: 15, title: "Change 15", author: "alice" });
  });

  test("keeps every merged PR's number and author for the notices, however many, while listing only 10", async () => {
    const commits = Array.from({ length: 60 }, (_, i) => squash(i + 1, i % 2 ? "bob" : "alice"));
    commits.push({ sha: "m", message: "Merge pull request #99 from hfa/branch\n\nUnlinked author", parents: ["c60", "gone"] });
    source.table.set(`${LIVE}...${NEXT}`, compared(commits));
    const changeSet = await builder.between({ repo: REPO, liveSha: LIVE, sha: NEXT, direction: "ships" });
    expect(changeSet).toMatchObject({ pullCount: 61 });
    expect(changeSet.pulls).toHaveLength(10);
    expect(changeSet.allPulls).toHaveLength(61);
    expect(changeSet.allPulls!.slice(0, 3)).toEqual([{ number: 99 }, { number: 60, author: "bob" }, { number: 59, author: "alice" }]);
    expect(changeSet.allPulls!.at(-1)).toEqual({ number: 1, author: "alice" });
  });

  test("a range is compared once: later deploys of the same range are answered from the cache", async () => {
    source.table.set(`${LIVE}...${NEXT}`, compared([squash(1)]));
    await builder.between({ repo: REPO, liveSha: LIVE, sha: NEXT, direction: "ships" });
    await builder.between({ repo: "HFA/Donations", liveSha: LIVE, sha: NEXT, direction: "ships" });
    expect(source.calls).toEqual([`${REPO} 1...2`]);
  });

  test("a first deploy compares nothing and says so", async () => {
    expect(await builder.between({ repo: REPO, sha: NEXT, direction: "ships" })).toEqual({
      status: "first_deploy",
      direction: "ships",
      headSha: NEXT,
      pulls: [],
      computedAt: "2026-12-03T10:00:00.000Z",
    });
    expect(source.calls).toEqual([]);
  });

  test("redeploying the live sha ships nothing, without a call", async () => {
    expect(await builder.between({ repo: REPO, liveSha: LIVE, sha: LIVE, direction: "ships" })).toMatchObject({ status: "listed", commitCount: 0, pullCount: 0, pulls: [] });
    expect(source.calls).toEqual([]);
  });

  test("more commits than the compare lists: the count is said, no PRs are guessed", async () => {
    source.table.set(`${LIVE}...${NEXT}`, compared(Array.from({ length: 250 }, (_, i) => squash(i + 1)), { aheadBy: 312 }));
    const changeSet = await builder.between({ repo: REPO, liveSha: LIVE, sha: NEXT, direction: "ships" });
    expect(changeSet).toMatchObject({ status: "too_large", commitCount: 312, pulls: [], compareUrl: expect.any(String) });
    expect(changeSet).not.toHaveProperty("pullCount");
  });

  test("a live sha the repository no longer has (force-pushed away) is base_missing", async () => {
    source.table.set(`${LIVE}...${NEXT}`, { kind: "unknown_commit" });
    expect(await builder.between({ repo: REPO, liveSha: LIVE, sha: NEXT, direction: "ships" })).toMatchObject({ status: "base_missing", baseSha: LIVE, pulls: [] });
  });

  test("diverged histories list what ships and count what the deploy takes away", async () => {
    source.table.set(`${LIVE}...${NEXT}`, compared([squash(4)], { status: "diverged", behindBy: 3 }));
    expect(await builder.between({ repo: REPO, liveSha: LIVE, sha: NEXT, direction: "ships" })).toMatchObject({ status: "listed", commitCount: 1, reverseCount: 3 });
  });

  test("a rollback lists what it takes out: the live release compared over the one it returns to", async () => {
    source.table.set(`${NEXT}...${LIVE}`, compared([squash(5, "bob"), squash(6, "carol")]));
    const changeSet = await builder.between({ repo: REPO, liveSha: LIVE, sha: NEXT, direction: "takes_out" });
    expect(changeSet).toMatchObject({ status: "listed", direction: "takes_out", baseSha: LIVE, headSha: NEXT, commitCount: 2 });
    expect(changeSet.pulls.map((p) => [p.number, p.author])).toEqual([
      [6, "carol"],
      [5, "bob"],
    ]);
    expect(source.calls).toEqual([`${REPO} 2...1`]);
  });

  test("a deploy of an older commit is told as what it takes out", async () => {
    source.table.set(`${LIVE}...${NEXT}`, compared([], { status: "behind", aheadBy: 0, behindBy: 2 }));
    source.table.set(`${NEXT}...${LIVE}`, compared([squash(8), squash(9)]));
    const changeSet = await builder.between({ repo: REPO, liveSha: LIVE, sha: NEXT, direction: "ships" });
    expect(changeSet).toMatchObject({ status: "listed", direction: "takes_out", commitCount: 2, pullCount: 2 });
    expect(source.calls).toEqual([`${REPO} 1...2`, `${REPO} 2...1`]);
  });

  test("a failing compare yields a failed change set with the reason, never a throw, and is tried again next time", async () => {
    source.failing = true;
    const changeSet = await builder.between({ repo: REPO, liveSha: LIVE, sha: NEXT, direction: "ships" });
    expect(changeSet).toMatchObject({ status: "failed", detail: "The commits could not be compared: GitHub answered 502: Bad Gateway", pulls: [] });
    source.failing = false;
    source.table.set(`${LIVE}...${NEXT}`, compared([squash(1)]));
    expect(await builder.between({ repo: REPO, liveSha: LIVE, sha: NEXT, direction: "ships" })).toMatchObject({ status: "listed" });
    expect(source.calls).toHaveLength(2);
  });

  test("a source control that cannot compare makes the change set unavailable", async () => {
    const offline: SourceControl = { resolveRef: async () => undefined, defaultBranchHead: async () => undefined };
    const changeSet = await new ChangeSetBuilder(offline, new FakeTime().clock).between({ repo: REPO, liveSha: LIVE, sha: NEXT, direction: "ships" });
    expect(changeSet).toMatchObject({ status: "unavailable", detail: expect.stringMatching(/GitHub is not configured/) });
  });
});
