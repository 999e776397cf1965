import {
  describeChanges,
  finalLines,
  fitWidth,
  formatDuration,
  headline,
  redraw,
  renderFrame,
  stageLine,
} from "../../src/cli/progress-view.js";
import { view } from "./fake-whistlestop.js";

const now = new Date("2026-03-01T12:01:00.000Z");
const plain = { now, color: false };
const ESC = "\u001b[";

describe("progress view on a terminal (renderFrame)", () => {
  it("shows the headline, one line per stage with symbol, spinner and elapsed time, and a bar", () => {
    expect(renderFrame(view(), plain)).toEqual([
      "donations → staging  a1b2c3d  by sandbox  (deploy d-42)",
      "  ✓ Source  3s",
      "  ● Bake    ⠋ 57s",
      "  ○ Deploy",
      `  ${"━".repeat(7)}${"─".repeat(13)}  1/3 stages  1m00s`,
    ]);
  });

  it("advances the spinner with the frame counter", () => {
    const bake = view().stages[1]!;
    expect(stageLine(bake, { ...plain, frame: 1 })).toBe("  ● Bake  ⠙ 57s");
  });

  it("shows the queue position, then the waiting reason", () => {
    const queued = view({ state: "queued", stages: [], queuePosition: 2, startedAt: undefined });
    expect(renderFrame(queued, plain)).toEqual(["donations → staging  a1b2c3d  by sandbox  (deploy d-42)", "  ◷ queued — position 2 in line"]);
    const waiting = view({ state: "queued", stages: [], waitingReason: "Debate nights is open until 00:00" });
    expect(renderFrame(waiting, plain)[1]).toBe("  ◷ waiting — Debate nights is open until 00:00");
  });

  it("ends with the success line: duration and artifact", () => {
    const done = view({
      state: "succeeded",
      finishedAt: "2026-03-01T12:01:12.000Z",
      artifact: "ami-0abc123",
      stages: [
        { name: "Bake", state: "succeeded", startedAt: "2026-03-01T12:00:00.000Z", finishedAt: "2026-03-01T12:01:00.000Z" },
        { name: "Verify", state: "skipped" },
      ],
    });
    expect(renderFrame(done, plain)).toEqual([
      "donations → staging  a1b2c3d  by sandbox  (deploy d-42)",
      "  ✓ Bake    1m00s",
      "  — Verify  skipped",
      "✔ succeeded in 1m12s — artifact ami-0abc123",
    ]);
  });

  it("ends with the failure line, the error and the pipeline execution URL", () => {
    const failed = view({
      state: "failed",
      error: "Deploy: health check failed",
      executionUrl: "https://console.aws.amazon.com/codesuite/codepipeline/pipelines/donations-staging/executions/e-1",
      stages: [{ name: "Deploy", state: "failed", startedAt: "2026-03-01T12:00:00.000Z", finishedAt: "2026-03-01T12:00:40.000Z" }],
    });
    expect(renderFrame(failed, plain).slice(1)).toEqual([
      "  ✗ Deploy  failed after 40s",
      "✘ failed: Deploy: health check failed",
      "  pipeline: https://console.aws.amazon.com/codesuite/codepipeline/pipelines/donations-staging/executions/e-1",
    ]);
  });

  it("a deploy an alarm failed says so instead of linking the pipeline that succeeded, and where its rollback is", () => {
    const verification = { alarms: ["donations-5xx-rate"], startedAt: "2026-03-01T12:00:00.000Z", endsAt: "2026-03-01T12:10:00.000Z", onAlarm: "rollback" as const };
    const failed = view({
      state: "failed",
      error: "alarm:donations-5xx-rate",
      reasonCode: "alarm:donations-5xx-rate",
      executionUrl: "https://console.aws.amazon.com/codesuite/codepipeline/pipelines/donations-prod/executions/e-1",
      verification,
      stages: [],
    });
    expect(finalLines(failed, plain)).toEqual([
      "✘ failed: alarm:donations-5xx-rate",
      "  alarm donations-5xx-rate went into ALARM while the release was verified",
      "  an automatic rollback follows: whistlestop deploys donations staging",
    ]);
    expect(finalLines({ ...failed, autoRollbackId: "d-43" }, plain).slice(2)).toEqual(["  rolling back automatically: deploy d-43 (whistlestop status d-43 --follow)"]);
    expect(finalLines({ ...failed, verification: { ...verification, onAlarm: "notify" } }, plain)).toHaveLength(2);
  });

  it("says who cancelled from the event's note", () => {
    expect(finalLines(view({ state: "cancelled", stages: [] }), plain, "cancelled by alice")).toEqual(["✘ cancelled: cancelled by alice"]);
  });

  it("colours symbols only when asked", () => {
    expect(renderFrame(view(), plain).join("\n")).not.toContain(ESC);
    const colored = renderFrame(view(), { ...plain, color: true });
    expect(colored[1]).toBe(`  ${ESC}32m✓${ESC}0m Source  3s`);
  });

  it("names rollbacks in the headline", () => {
    expect(headline(view({ rollbackOf: "d-41" }))).toBe("donations → staging  a1b2c3d  by sandbox  (rollback d-42 of d-41)");
  });
});

describe("progress view for pipes and CI (describeChanges)", () => {
  it("prints the headline and what already happened for the first view", () => {
    expect(describeChanges(undefined, view())).toEqual([
      "donations → staging  a1b2c3d  by sandbox  (deploy d-42)",
      "▶ started",
      "✓ Source done (3s)",
      "● Bake running",
    ]);
  });

  it("prints one line per change and nothing when nothing changed", () => {
    const before = view();
    expect(describeChanges(before, before)).toEqual([]);
    const after = view({
      stages: [
        before.stages[0]!,
        { name: "Bake", state: "succeeded", startedAt: "2026-03-01T12:00:03.000Z", finishedAt: "2026-03-01T12:00:50.000Z" },
        { name: "Deploy", state: "running", startedAt: "2026-03-01T12:00:50.000Z" },
      ],
    });
    expect(describeChanges(before, after)).toEqual(["✓ Bake done (47s)", "● Deploy running"]);
  });

  it("prints queue moves, the start and the final line without ANSI codes", () => {
    const first = view({ state: "queued", stages: [], queuePosition: 2 });
    const second = view({ state: "queued", stages: [], queuePosition: 1 });
    expect(describeChanges(first, second)).toEqual(["◷ queued — position 1 in line"]);
    const running = view({ stages: [] });
    expect(describeChanges(second, running)).toEqual(["▶ started"]);
    const done = view({ state: "succeeded", stages: [], finishedAt: "2026-03-01T12:01:12.000Z", artifact: "ami-1" });
    const lines = describeChanges(running, done);
    expect(lines).toEqual(["✔ succeeded in 1m12s — artifact ami-1"]);
    expect(lines.join("")).not.toContain(ESC);
  });
});

describe("terminal helpers", () => {
  it.each([
    [0, "0s"],
    [4_900, "4s"],
    [72_000, "1m12s"],
    [3_780_000, "1h03m"],
  ])("formats %i ms as %s", (ms, text) => expect(formatDuration(ms)).toBe(text));

  it("redraws in place: cursor up over the old frame, clear, new frame", () => {
    expect(redraw(0, ["a", "b"])).toBe("a\nb\n");
    expect(redraw(2, ["c"])).toBe(`${ESC}2F${ESC}Jc\n`);
  });

  it("cuts lines to the terminal width without counting colour codes", () => {
    expect(fitWidth("abcdef", 4)).toBe("abcd");
    expect(fitWidth(`${ESC}32m✓✓✓${ESC}0m`, 2)).toBe(`${ESC}32m✓✓${ESC}0m`);
    expect(redraw(0, ["0123456789"], 5)).toBe("0123\n");
  });
});
