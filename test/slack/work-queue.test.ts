import { WorkQueue } from "../../src/adapters/slack/work-queue.js";
import { FakeTime } from "../kit/fake-time.js";

describe("WorkQueue", () => {
  test("runs at most `concurrency` tasks at once, in order, and reports their results", async () => {
    const queue = new WorkQueue({ concurrency: 2 });
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const results = [1, 2, 3, 4, 5].map((n) =>
      queue.run(async () => {
        started.push(n);
        peak = Math.max(peak, ++active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        return n * 10;
      }),
    );
    expect(queue.size).toBe(5);
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
  });

  test("a failing task rejects its own promise and does not stop the queue; idle waits for the end", async () => {
    const queue = new WorkQueue({ concurrency: 1 });
    const failed = queue.run(() => Promise.reject(new Error("boom")));
    const next = queue.run(async () => "next");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("next");
    await queue.idle();
    expect(queue.size).toBe(0);
  });

  test("tasks start from a new macrotask: I/O callbacks already queued go first", async () => {
    const queue = new WorkQueue({ concurrency: 1 });
    const order: string[] = [];
    setImmediate(() => order.push("io"));
    await queue.run(async () => void order.push("task"));
    expect(order).toEqual(["io", "task"]);
  });
});

describe("WorkQueue while requests keep arriving", () => {
  const setup = () => {
    const timers = new FakeTime();
    const queue = new WorkQueue({ concurrency: 2, quietMs: 50, trickleMs: 100, timers });
    const started: Array<{ n: number; at: number }> = [];
    const finishers: Array<() => void> = [];
    const task = (n: number) => () => {
      started.push({ n, at: timers.now() });
      return new Promise<void>((resolve) => finishers.push(resolve));
    };
    return { timers, queue, started, finishers, task };
  };
  const macrotask = () => new Promise((resolve) => setImmediate(resolve));

  test("starts one task per trickle during a burst, then fills every slot once it is quiet", async () => {
    const { timers, queue, started, finishers, task } = setup();
    queue.noteArrival();
    for (let n = 1; n <= 4; n++) void queue.run(task(n));
    await macrotask();
    expect(started.map((s) => s.n)).toEqual([1]);

    // Requests keep coming: the second task waits for the trickle, not for the quiet.
    for (let t = 0; t < 4; t++) {
      await timers.advance(25);
      queue.noteArrival();
    }
    await macrotask();
    expect(started).toEqual([
      { n: 1, at: 0 },
      { n: 2, at: 100 },
    ]);

    // Both slots are busy now. The burst ends (no arrival for 50 ms); a freed slot is filled at once.
    await timers.advance(60);
    await macrotask();
    expect(started.map((s) => s.n)).toEqual([1, 2]);
    finishers[0]!();
    await macrotask();
    await macrotask();
    expect(started.at(-1)).toEqual({ n: 3, at: 160 });
  });

  test("without arrivals, tasks start at once up to the concurrency", async () => {
    const { queue, started, finishers, task } = setup();
    for (let n = 1; n <= 3; n++) void queue.run(task(n));
    await macrotask();
    expect(started.map((s) => s.n)).toEqual([1, 2]);
    finishers[0]!();
    await macrotask();
    await macrotask();
    expect(started.map((s) => s.n)).toEqual([1, 2, 3]);
  });
});
