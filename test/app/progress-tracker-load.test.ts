import type { EventLoopUtilization } from "node:perf_hooks";
import { eventLoopSaturation } from "../../src/app/load-pacer.js";
import { ProgressTracker } from "../../src/app/progress-tracker.js";
import { silentLogger } from "../../src/core/ports/logger.js";
import { FakeTime } from "../kit/fake-time.js";

/** A tracker whose "is the process saturated?" answer the test sets. */
function setup(busyDeferMs = 3000) {
  const timers = new FakeTime();
  const calls: Array<{ id: string; at: number }> = [];
  const load = { busy: false };
  const tracker = new ProgressTracker(
    async (id) => {
      calls.push({ id, at: timers.now() });
      return "unchanged";
    },
    timers,
    silentLogger,
    { minIntervalMs: 1000, maxIntervalMs: 8000, concurrency: 2, busy: () => load.busy, busyDeferMs },
  );
  return { timers, calls, tracker, load };
}

describe("progress tracker under load", () => {
  test("polls wait while the process is saturated, and run as soon as it is not", async () => {
    const { timers, calls, tracker, load } = setup();
    tracker.track("d1");
    load.busy = true;
    await timers.advance(1700);
    expect(calls).toEqual([]);
    load.busy = false;
    await timers.advance(100);
    expect(calls.map((c) => c.at)).toEqual([1800]);
  });

  test("a poll waits at most busyDeferMs past its time, however long the load lasts", async () => {
    const { timers, calls, tracker, load } = setup(3000);
    tracker.track("d1");
    tracker.poke("d2");
    load.busy = true;
    await timers.advance(10_000);
    // d2 was due at 0 and d1 at 1000: each runs when its own wait ran out, then on its interval.
    expect(calls.slice(0, 2)).toEqual([
      { id: "d2", at: 3000 },
      { id: "d1", at: 4000 },
    ]);
    expect(calls.length).toBeGreaterThan(2);
  });

  test("polls that waited run one at a time while the load lasts, all at once after it", async () => {
    const timers = new FakeTime();
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    const load = { busy: true };
    const tracker = new ProgressTracker(
      (id) =>
        new Promise((resolve) => {
          started.push(id);
          finish.set(id, () => resolve("unchanged"));
        }),
      timers,
      silentLogger,
      { minIntervalMs: 1000, maxIntervalMs: 8000, concurrency: 4, busy: () => load.busy, busyDeferMs: 500 },
    );
    for (const id of ["a", "b", "c"]) tracker.poke(id);
    await timers.advance(600);
    expect(started).toEqual(["a"]);
    finish.get("a")!();
    await timers.advance(0);
    await timers.advance(100);
    expect(started).toEqual(["a", "b"]);
    load.busy = false;
    await timers.advance(100);
    expect(started).toEqual(["a", "b", "c"]);
  });

  test("without a load signal nothing changes", async () => {
    const timers = new FakeTime();
    const calls: number[] = [];
    const tracker = new ProgressTracker(
      async () => {
        calls.push(timers.now());
        return "unchanged";
      },
      timers,
      silentLogger,
      { minIntervalMs: 1000, maxIntervalMs: 8000, concurrency: 2 },
    );
    tracker.track("d1");
    await timers.advance(2500);
    expect(calls).toEqual([1000, 2500]);
  });
});

/** A loop whose idle and active time the test adds to, read the way performance.eventLoopUtilization reads. */
function fakeLoop() {
  const total = { idle: 0, active: 0 };
  const reading = (idle: number, active: number): EventLoopUtilization => ({ idle, active, utilization: active / (idle + active || 1) });
  return {
    busy: (ms: number) => void (total.active += ms),
    idle: (ms: number) => void (total.idle += ms),
    read: (since?: EventLoopUtilization) =>
      since ? reading(total.idle - since.idle, total.active - since.active) : reading(total.idle, total.active),
  };
}

describe("eventLoopSaturation", () => {
  test("says saturated after a stretch of busy loop, and not after an idle one", () => {
    const loop = fakeLoop();
    const saturated = eventLoopSaturation(0.9, 20, loop.read);
    loop.busy(60);
    expect(saturated()).toBe(true);
    loop.idle(55);
    loop.busy(5);
    expect(saturated()).toBe(false);
  });

  test("keeps its last answer until a whole window has passed", () => {
    const loop = fakeLoop();
    const saturated = eventLoopSaturation(0.9, 20, loop.read);
    loop.busy(25);
    expect(saturated()).toBe(true);
    loop.idle(10);
    expect(saturated()).toBe(true); // 10 ms is less than the window: not looked at again yet
    loop.idle(15);
    expect(saturated()).toBe(false);
  });

  test("counts a loop busy for just under the threshold as not saturated", () => {
    const loop = fakeLoop();
    const saturated = eventLoopSaturation(0.9, 20, loop.read);
    loop.busy(89);
    loop.idle(11);
    expect(saturated()).toBe(false);
    loop.busy(90);
    loop.idle(10);
    expect(saturated()).toBe(true);
  });
});
