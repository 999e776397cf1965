import { renderDeployCard } from "../../src/adapters/slack/deploy-card.js";
import type { ChangeSetPull } from "../../src/core/model/change-set.js";
import type { Deploy } from "../../src/core/model/deploy.js";
import { changeSetFixture, DEMO_REPO_URL } from "../fakes/change-set-fixture.js";
import { blockKitProblems } from "./block-kit-limits.js";
import { deployFixture } from "./deploy-fixture.js";

const NOW = new Date("2026-10-01T14:02:05.000Z");
const REPO_URL = DEMO_REPO_URL;
const changeSet = changeSetFixture;

const card = (deploy: Deploy, repoUrl: string | undefined = REPO_URL) =>
  renderDeployCard({ deploy, now: NOW, links: { commitUrl: `${REPO_URL}/commit/${deploy.sha}`, ...(repoUrl ? { repoUrl } : {}) }, plannedStages: ["Source", "Deploy"] });
const changesText = (deploy: Deploy, repoUrl?: string) => {
  const blocks = card(deploy, repoUrl).blocks as unknown as Array<{ type: string; text?: { text: string } }>;
  return blocks.find((b) => b.type === "section" && /^\*(Changes|Takes out)\*/.test(b.text?.text ?? ""))?.text?.text;
};

describe("the change set on the deploy card", () => {
  test("count, merged PRs linked with their authors, and the compare link", () => {
    expect(changesText(deployFixture({ changeSet: changeSet() }))).toBe(
      [
        `*Changes*  Ships 3 commits and 2 merged PRs since 1a2b3c4.  <${REPO_URL}/compare/1a2b3c4...0123456|Compare>`,
        `• <${REPO_URL}/pull/12|#12> Retry the payment processor on 503 — jordan-payments`,
        `• <${REPO_URL}/pull/11|#11> Log requests as JSON`,
      ].join("\n"),
    );
  });

  test("a rollback's card says what it takes out", () => {
    const text = changesText(deployFixture({ rollbackOf: "d-bad", changeSet: changeSet({ direction: "takes_out", pulls: [{ number: 12, title: "Retry", author: "jordan-payments" }], pullCount: 1, commitCount: 1 }) }));
    expect(text).toMatch(/^\*Takes out\* {2}Takes out 1 commit and 1 merged PR of 1a2b3c4, the live release\./);
    expect(text).toContain("#12> Retry — jordan-payments");
  });

  test("no change set yet: no section; the statuses that list nothing say why in one line", () => {
    expect(changesText(deployFixture())).toBeUndefined();
    expect(changesText(deployFixture({ changeSet: changeSet({ status: "first_deploy", pulls: [], commitCount: undefined, pullCount: undefined, compareUrl: undefined, baseSha: undefined }) }))).toBe(
      "*Changes*  First deploy here: nothing was live, so there is nothing to compare with.",
    );
    expect(changesText(deployFixture({ changeSet: changeSet({ status: "too_large", commitCount: 312, pulls: [], pullCount: undefined }) }))).toMatch(
      /^\*Changes\* {2}Ships 312 commits since 1a2b3c4: too many to list\. {2}<.*\|Compare>$/,
    );
    expect(changesText(deployFixture({ changeSet: changeSet({ status: "base_missing", pulls: [], commitCount: undefined, pullCount: undefined, compareUrl: undefined }) }))).toContain(
      "The live release 1a2b3c4 is not in the repository's history any more (force-pushed away?)",
    );
    expect(changesText(deployFixture({ changeSet: changeSet({ status: "failed", detail: "The commits could not be compared: GitHub answered 502 <oops> & more", pulls: [], commitCount: undefined, pullCount: undefined, compareUrl: undefined }) }))).toBe(
      "*Changes*  Changes not listed. The commits could not be compared: GitHub answered 502 &lt;oops&gt; &amp; more",
    );
  });

  test("PR titles and authors are text, never mentions or links", () => {
    const text = changesText(deployFixture({ changeSet: changeSet({ pulls: [{ number: 5, title: "<!channel> see <https://evil.example|here> & more", author: "mallory" }], pullCount: 1 }) }))!;
    expect(text).toContain("&lt;!channel&gt; see &lt;https://evil.example|here&gt; &amp; more — mallory");
    expect(text).not.toContain("<!channel>");
  });

  test("a 300-commit change set with the longest titles stays inside Block Kit's limits, on every state of the card", () => {
    const nasty = "&<>".repeat(40) + "x".repeat(200);
    const pulls: ChangeSetPull[] = Array.from({ length: 10 }, (_, i) => ({ number: 100_000 + i, title: nasty, author: "a-very-long-login-name-of-39-characters" }));
    const huge = changeSet({ commitCount: 300, pulls, pullCount: 180, compareUrl: `${REPO_URL}/compare/${"f".repeat(40)}...${"e".repeat(40)}` });
    const longRepo = `https://github.example.com/${"org".repeat(13)}/${"repo".repeat(25)}`;
    for (const state of ["queued", "running", "succeeded", "failed", "cancelled"] as const) {
      for (const repoUrl of [REPO_URL, longRepo]) {
        const message = card(deployFixture({ state, error: "x".repeat(5000), reason: "r".repeat(5000), forced: true, changeSet: huge }), repoUrl);
        expect(blockKitProblems(message)).toEqual([]);
        expect(message.blocks!.length).toBeLessThanOrEqual(8);
      }
    }
    const text = changesText(deployFixture({ changeSet: huge }))!;
    expect(text).toMatch(/^\*Changes\* {2}Ships 300 commits and 180 merged PRs since 1a2b3c4\./);
    expect(text).toMatch(/_…and 1\d\d more merged PRs_$/);
  });

  test("the listed PRs and the count of the rest add up to the change set's PR count", () => {
    const pulls: ChangeSetPull[] = Array.from({ length: 10 }, (_, i) => ({ number: 20 - i, title: `Change ${20 - i}`, author: "octocat" }));
    const text = changesText(deployFixture({ changeSet: changeSet({ commitCount: 40, pulls, pullCount: 15 }) }))!;
    expect(text.split("\n").filter((line) => line.startsWith("• "))).toHaveLength(10);
    expect(text.split("\n").at(-1)).toBe("_…and 5 more merged PRs_");
  });

  test("without the repository's URL the PR numbers are plain", () => {
    expect(changesText(deployFixture({ changeSet: changeSet() }), "")).toContain("\n• #12 Retry the payment processor on 503 — jordan-payments\n• #11 Log requests as JSON");
  });
});
