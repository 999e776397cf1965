import { toDeployView } from "../../src/core/commands/deploy-view.js";
import { commentAnswer } from "../../src/adapters/github/command-reply.js";
import { deployCommentBody } from "../../src/adapters/github/deploy-comment-body.js";
import { deploymentStatusFor, MAX_DESCRIPTION } from "../../src/adapters/github/deployment-status.js";
import { commandLineOf } from "../../src/adapters/github/handle-comment-command.js";
import type { Deploy } from "../../src/core/model/deploy.js";
import type { DeployEvent, DeployEventType } from "../../src/core/ports/notifier.js";

const base: Deploy = {
  id: "d-7",
  service: "donations",
  env: "staging",
  sha: "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
  ref: "fix-receipts",
  actor: "alice",
  actorLogin: "alice",
  surface: "github",
  automatic: false,
  forced: false,
  state: "running",
  seq: 1,
  pipelineName: "donations-staging",
  executionId: "e-1",
  stages: [
    { name: "Source", status: "succeeded" },
    { name: "Bake", status: "running" },
    { name: "Deploy", status: "waiting" },
    { name: "Verify", status: "waiting" },
  ],
  requestedAt: "2026-11-03T19:00:00Z",
  startedAt: "2026-11-03T19:00:00Z",
};
const event = (type: DeployEventType, fields: Partial<Deploy> = {}, note?: string): DeployEvent => ({
  type,
  deploy: { ...base, ...fields },
  at: "2026-11-03T19:02:30Z",
  ...(note ? { note } : {}),
});

describe("the PR progress comment", () => {
  test("shows what, who, the stage line like the Slack card, elapsed time and the execution link", () => {
    expect(deployCommentBody({ event: event("progress"), executionUrl: "https://console/e-1" })).toBe(
      [
        "<!-- whistlestop:deploy:d-7 -->",
        "### 🚀 Deploy of donations to staging is running",
        "",
        "Commit 9f8e7d6 (fix-receipts), requested by @alice via github · deploy `d-7`",
        "",
        "✓ Source → ● Bake → ○ Deploy → ○ Verify",
        "",
        "⏱️ 3m · [pipeline execution](https://console/e-1)",
      ].join("\n"),
    );
  });

  test("ends with the outcome: artifact and environment link on success, the error on failure, why when superseded", () => {
    const done = deployCommentBody({
      event: event("succeeded", { state: "succeeded", finishedAt: "2026-11-03T19:04:00Z", artifact: "ami-0123456789abcdef0", automatic: true }),
      environmentUrl: "https://donations.example.org",
    });
    expect(done).toContain("### ✅ Deploy of donations to staging succeeded");
    expect(done).toContain("merged by @alice");
    expect(done).toContain("> Artifact: `ami-0123456789abcdef0`");
    expect(done).toContain("⏱️ 4m · [https://donations.example.org](https://donations.example.org)");
    const failed = deployCommentBody({ event: event("failed", { state: "failed", error: "packer: AMI build timed out", stages: [{ name: "Bake", status: "failed" }] }) });
    expect(failed).toContain("### ❌ Deploy of donations to staging failed");
    expect(failed).toContain("✗ Bake");
    expect(failed).toContain("> packer: AMI build timed out");
    const superseded = deployCommentBody({ event: event("superseded", { state: "cancelled", error: "superseded by a newer merge (abc1234)" }) });
    expect(superseded).toContain("### ⏭️ Deploy of donations to staging was superseded");
  });
});

describe("deployment statuses", () => {
  test("queued → in_progress → success | failure | error; progress changes nothing", () => {
    const states = (["queued", "waiting", "started", "progress", "succeeded", "failed", "cancelled", "superseded"] as const).map((type) => deploymentStatusFor(event(type))?.state);
    expect(states).toEqual(["queued", "queued", "in_progress", undefined, "success", "failure", "error", "error"]);
  });

  test("descriptions never pass GitHub's 140 characters", () => {
    const status = deploymentStatusFor(event("failed", { state: "failed", error: "x".repeat(500) }))!;
    expect(status.description.length).toBe(MAX_DESCRIPTION);
    expect(status.description.endsWith("…")).toBe(true);
    expect(deploymentStatusFor(event("started", { rollbackOf: "d-1" }))!.description).toBe("Rolling back to 9f8e7d6 through donations-staging");
  });
});

describe("comment commands", () => {
  test("only a first line starting with a slash command counts", () => {
    expect(commandLineOf("/deploy staging\nthanks!")).toBe("/deploy staging");
    expect(commandLineOf("  /Rollback prod --yes")).toBe("/Rollback prod --yes");
    expect(commandLineOf("> /deploy staging")).toBeUndefined();
    expect(commandLineOf("please /deploy staging")).toBeUndefined();
    expect(commandLineOf("/deployment notes")).toBeUndefined();
    expect(commandLineOf("LGTM\n/deploy staging")).toBeUndefined();
    expect(commandLineOf(null)).toBeUndefined();
  });

  test("refusals get 👎 and the reason code; started deploys need no reply", () => {
    expect(commentAnswer({ outcome: "refused", reasonCode: "locked", message: "donations/prod is locked by bob" }, "/deploy prod", "amy")).toEqual({
      reaction: "-1",
      reply: "> /deploy prod\n\n@amy 👎 **Not done** (`locked`): donations/prod is locked by bob",
    });
    expect(commentAnswer({ outcome: "started", message: "Deploy … started", deploy: toDeployView(base), record: base }, "/deploy staging", "amy")).toEqual({});
    expect(commentAnswer({ outcome: "ignored" }, "/x", "amy")).toEqual({});
  });
});
