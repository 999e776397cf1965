import { formatElapsed, renderDeployCard, stageLine } from "../../src/adapters/slack/deploy-card.js";
import type { Deploy, StageProgress } from "../../src/core/model/deploy.js";
import { deployFixture, SHA } from "./deploy-fixture.js";

const NOW = new Date("2026-10-01T14:02:05.000Z");
const PLANNED = ["Source", "Bake", "Deploy", "Verify"];
const LINKS = {
  commitUrl: `https://github.com/whistlestop-demo/donations/commit/${SHA}`,
  executionUrl: "https://console.aws.amazon.com/codesuite/codepipeline/pipelines/donations-production/executions/exec-1/timeline",
};

const render = (deploy: Deploy, extra: { note?: string; prUrl?: string } = {}) =>
  renderDeployCard({ deploy, now: NOW, links: { ...LINKS, ...(extra.prUrl ? { prUrl: extra.prUrl } : {}) }, plannedStages: PLANNED, ...(extra.note ? { note: extra.note } : {}) });

type Block = { type: string; text?: { text: string }; fields?: Array<{ text: string }>; elements?: Array<{ action_id?: string; text?: unknown; value?: string }> };
const blocksOf = (deploy: Deploy, extra?: { note?: string; prUrl?: string }) => render(deploy, extra).blocks as unknown as Block[];
const allText = (deploy: Deploy, extra?: { note?: string; prUrl?: string }) => JSON.stringify(render(deploy, extra).blocks);
const buttons = (deploy: Deploy) => blocksOf(deploy).find((b) => b.type === "actions")?.elements?.map((e) => e.action_id) ?? [];
const field = (deploy: Deploy, name: string) => blocksOf(deploy)[1]!.fields!.find((f) => f.text.startsWith(`*${name}*`))!.text.split("\n")[1];

const stages = (...statuses: StageProgress["status"][]): StageProgress[] => PLANNED.map((name, i) => ({ name, status: statuses[i] ?? "waiting" }));

describe("the deploy card", () => {
  test("header, linked short sha, actor, state, elapsed, stage line and links while running", () => {
    const deploy = deployFixture({ stages: stages("succeeded", "succeeded", "running", "waiting") });
    const blocks = blocksOf(deploy);
    expect(blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "donations → prod", emoji: true } });
    expect(field(deploy, "Commit")).toBe(`<${LINKS.commitUrl}|0123456> main`);
    expect(field(deploy, "Actor")).toBe("octocat");
    expect(field(deploy, "State")).toBe("🚀 Running");
    expect(field(deploy, "Elapsed")).toBe("2m 05s");
    expect(blocks[2]!.text!.text).toBe("✓ Source  ✓ Bake  ● Deploy  ○ Verify");
    expect(allText(deploy)).toContain(`<${LINKS.executionUrl}|Pipeline execution>`);
    expect(buttons(deploy)).toEqual(["whistlestop_cancel_deploy"]);
    expect(render(deploy).text).toBe("donations → prod: running · 0123456 by octocat");
  });

  test("queued: the configured stages all waiting, the queue position, and Cancel", () => {
    const deploy = deployFixture({ state: "queued", stages: [], executionId: undefined, startedAt: undefined });
    expect(blocksOf(deploy, { note: "position 2 in the queue" })[2]!.text!.text).toBe("○ Source  ○ Bake  ○ Deploy  ○ Verify");
    expect(allText(deploy, { note: "position 2 in the queue" })).toContain("⏳ Queued (position 2 in the queue)");
    expect(buttons(deploy)).toEqual(["whistlestop_cancel_deploy"]);
  });

  test("waiting for a window shows why and until when", () => {
    const deploy = deployFixture({ state: "queued", waitingReason: "waiting for a critical window to end until 00:00 EDT", stages: [] });
    expect(field(deploy, "State")).toBe("🕒 Waiting: waiting for a critical window to end until 00:00 EDT");
  });

  test("succeeded: all ✓, the artifact, the final elapsed time and Roll back", () => {
    const deploy = deployFixture({ state: "succeeded", stages: stages("succeeded", "succeeded", "succeeded", "succeeded"), artifact: "ami-0abc", finishedAt: "2026-10-01T14:04:10.000Z" });
    expect(blocksOf(deploy)[2]!.text!.text).toBe("✓ Source  ✓ Bake  ✓ Deploy  ✓ Verify");
    expect(field(deploy, "Elapsed")).toBe("4m 10s");
    expect(allText(deploy)).toContain("Artifact: `ami-0abc`");
    expect(buttons(deploy)).toEqual(["whistlestop_rollback"]);
    const rollback = blocksOf(deploy).find((b) => b.type === "actions")!.elements![0]!;
    expect(rollback.value).toBe(deploy.id);
  });

  test("failed: ✗ on the failed stage, the error, no buttons", () => {
    const deploy = deployFixture({ state: "failed", stages: stages("succeeded", "failed"), error: "packer: AMI build timed out", finishedAt: "2026-10-01T14:01:00.000Z" });
    expect(blocksOf(deploy)[2]!.text!.text).toBe("✓ Source  ✗ Bake  ○ Deploy  ○ Verify");
    expect(field(deploy, "State")).toBe("❌ Failed");
    expect(allText(deploy)).toContain("*Error:* packer: AMI build timed out");
    expect(buttons(deploy)).toEqual([]);
  });

  test("cancelled shows who cancelled and offers nothing", () => {
    const deploy = deployFixture({ state: "cancelled", stages: stages("succeeded", "cancelled"), error: "cancelled by alex-sre", finishedAt: "2026-10-01T14:01:00.000Z" });
    expect(field(deploy, "State")).toBe("⊘ Cancelled");
    expect(blocksOf(deploy)[2]!.text!.text).toBe("✓ Source  ⊘ Bake  ○ Deploy  ○ Verify");
    expect(allText(deploy)).toContain("cancelled by alex-sre");
    expect(buttons(deploy)).toEqual([]);
  });

  test("a rollback says so in the header; a forced deploy says so loudly with its reason", () => {
    expect(blocksOf(deployFixture({ rollbackOf: "d-old" }))[0]!.text!.text).toBe("donations → prod · rollback");
    expect(allText(deployFixture({ forced: true, reason: "hotfix for the donate button" }))).toContain("⚠️ *Forced* past a lock or window: hotfix for the donate button");
  });

  test("the PR link when the deploy came from a pull request", () => {
    const deploy = deployFixture({ githubRepo: "whistlestop-demo/donations", prNumber: 42 });
    expect(allText(deploy, { prUrl: "https://github.com/whistlestop-demo/donations/pull/42" })).toContain("<https://github.com/whistlestop-demo/donations/pull/42|PR #42>");
  });

  test("people's text cannot inject mentions or links", () => {
    const deploy = deployFixture({ actor: "<!channel>", reason: "fix <https://evil.example|this> & that", forced: false });
    const text = allText(deploy);
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("&lt;!channel&gt;");
    expect(text).toContain("fix &lt;https://evil.example|this&gt; &amp; that");
  });

  test("a sha ref is not repeated next to the short sha", () => {
    expect(field(deployFixture({ ref: SHA.slice(0, 10) }), "Commit")).toBe(`<${LINKS.commitUrl}|0123456>`);
  });

  test("stageLine and formatElapsed", () => {
    expect(stageLine([], [])).toBe("");
    expect(stageLine([{ name: "Build", status: "skipped" }])).toBe("– Build");
    expect(formatElapsed(45_000)).toBe("45s");
    expect(formatElapsed(3_780_000)).toBe("1h 03m");
    expect(formatElapsed(-5)).toBe("0s");
  });
});
