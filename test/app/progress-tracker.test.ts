import { ProgressTracker } from "../../src/app/progress-tracker.js";
import type { ReconcileOutcome } from "../../src/core/orchestrator/deploy-orchestrator.js";
import { silentLogger } from "../../src/core/ports/logger.js";
import { FakeTime } from "../kit/fake-time.js";

const options = { minIntervalMs: 1000, maxIntervalMs: 8000, concurrency: 2 };

function setup(script: Record<string, ReconcileOutcome[]> = {}) {
  const timers = new FakeTime();
  const calls: Array<{ id: string; at: number }> = [];
  const reconcile = async (id: string): Promise<ReconcileOutcome> => {
    calls.push({ id, at: timers.now() });
    const queue = script[id];
    if (queue?.[0] === undefined) return "unchanged";
    const next = queue.shift()!;
    if ((next as string) === "throw") throw new Error("ThrottlingException");
    return next;
  };
  const tracker = new ProgressTracker(reconcile, timers, silentLogger, options);
  return { timers, calls, tracker };
}

describe("progress tracker: one scheduler for every running execution", () => {
  test("polls fast at first, then backs off while nothing changes", async () => {
    const { timers, calls, tracker } = setup();
    tracker.track("d1");
    await timers.advance(30_000);
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
    expect(calls[0]!.at).toBe(1000);
    expect(gaps.slice(0, 4)).toEqual([1500, 2250, 3375, 5063]);
    expect(Math.max(...gaps)).toBe(8000);
  });

  test("a change resets the interval to the fast one", async () => {
    const { timers, calls, tracker } = setup({ d1: ["unchanged", "unchanged", "changed"] });
    tracker.track("d1");
    await timers.advance(1000 + 1500 + 2250 + 1000);
    expect(calls.map((c) => c.at)).toEqual([1000, 2500, 4750, 5750]);
  });

  test("stops following a deploy once it is done", async () => {
    const { timers, calls, tracker } = setup({ d1: ["changed", "done"] });
    tracker.track("d1");
    await timers.advance(60_000);
    expect(calls).toHaveLength(2);
    expect(tracker.tracked()).toEqual([]);
  });

  test("a poke (pipeline event) reconciles at once", async () => {
    const { timers, calls, tracker } = setup();
    tracker.track("d1");
    await timers.advance(1000);
    await timers.advance(500);
    tracker.poke("d1");
    await timers.advance(0);
    expect(calls.map((c) => c.at)).toEqual([1000, 1500]);
  });

  test("a poke for an untracked deploy starts following it (restart, other replica's events)", async () => {
    const { timers, calls, tracker } = setup({ d9: ["done"] });
    tracker.poke("d9");
    await timers.advance(0);
    expect(calls).toEqual([{ id: "d9", at: 0 }]);
    expect(tracker.tracked()).toEqual([]);
  });

  test("errors are retried with backoff, not dropped", async () => {
    const { timers, calls, tracker } = setup({ d1: ["throw" as ReconcileOutcome, "throw" as ReconcileOutcome, "done"] });
    tracker.track("d1");
    await timers.advance(10_000);
    expect(calls.map((c) => c.at)).toEqual([1000, 2500, 4750]);
  });

  test("at most `concurrency` reconciles run at once; the rest wait their turn", async () => {
    const timers = new FakeTime();
    let active = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const reconcile = async (): Promise<ReconcileOutcome> => {
      active++;
      peak = Math.max(peak, active);
      await new Promise<void>((resolve) => releases.push(resolve));
      active--;
      return "done";
    };
    const tracker = new ProgressTracker(reconcile, timers, silentLogger, options);
    for (const id of ["a", "b", "c", "d", "e"]) tracker.track(id);
    await timers.advance(1000);
    expect(active).toBe(2);
    while (releases.length) {
      releases.shift()!();
      await timers.advance(0);
    }
    await tracker.settled();
    expect(peak).toBe(2);
    expect(tracker.tracked()).toEqual([]);
  });

  test("one timer at a time, however many deploys are tracked", async () => {
    const { timers, tracker } = setup();
    let timersSet = 0;
    const original = timers.setTimeout.bind(timers);
    timers.setTimeout = (callback, ms) => {
      timersSet++;
      return original(callback, ms);
    };
    for (let i = 0; i < 100; i++) tracker.track(`d${i}`);
    expect(timersSet).toBe(1);
    await tracker.stop();
  });
});
