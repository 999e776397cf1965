import { WorkQueue } from "../../src/adapters/slack/work-queue.js";

describe("WorkQueue", () => {
  test("runs at most `concurrency` tasks at once, in order, and reports their results", async () => {
    const queue = new WorkQueue(2);
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
    const queue = new WorkQueue(1);
    const failed = queue.run(() => Promise.reject(new Error("boom")));
    const next = queue.run(async () => "next");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("next");
    await queue.idle();
    expect(queue.size).toBe(0);
  });

  test("tasks start from a new macrotask: I/O callbacks already queued go first", async () => {
    const queue = new WorkQueue(1);
    const order: string[] = [];
    setImmediate(() => order.push("io"));
    await queue.run(async () => void order.push("task"));
    expect(order).toEqual(["io", "task"]);
  });
});
