import { LoadPacer } from "../../src/app/load-pacer.js";

/** A pacer whose load and clock the test sets; its recheck timer is real (100 ms). */
function pacer(maxDelayMs = 2_000) {
  const state = { busy: false, now: 0 };
  const p = new LoadPacer(() => state.busy, maxDelayMs, () => state.now);
  return { p, state };
}

function track(promise: Promise<void>, label: string, order: string[]): Promise<void> {
  return promise.then(() => void order.push(label));
}

describe("LoadPacer: reports step aside while the process is saturated", () => {
  test("a process with time to spare gives a turn at once", async () => {
    const { p } = pacer();
    await p.turn();
    expect(p.backlog).toBe(0);
  });

  test("while busy, turns wait and are all given, in order, once the load drops", async () => {
    const { p, state } = pacer();
    state.busy = true;
    const order: string[] = [];
    const turns = [track(p.turn(), "a", order), track(p.turn(), "b", order)];
    // Not busy any more, but two wait: a newcomer queues behind them, keeping a deploy's reports in order.
    state.busy = false;
    turns.push(track(p.turn(), "c", order));
    expect(p.backlog).toBe(3);
    await Promise.all(turns);
    expect(order).toEqual(["a", "b", "c"]);
    expect(p.backlog).toBe(0);
  });

  test("under a load that never drops, a turn is given once it waited maxDelayMs: late, never silent", async () => {
    const { p, state } = pacer(2_000);
    state.busy = true;
    const order: string[] = [];
    const first = track(p.turn(), "first", order);
    state.now = 1_500;
    const second = track(p.turn(), "second", order);
    state.now = 2_000;
    await first;
    expect(order).toEqual(["first"]);
    expect(p.backlog).toBe(1);
    state.now = 3_500;
    await second;
    expect(order).toEqual(["first", "second"]);
  });

  test("release() gives every waiting turn at once (shutdown flushes the reports)", async () => {
    const { p, state } = pacer();
    state.busy = true;
    const turns = [p.turn(), p.turn()];
    p.release();
    await Promise.all(turns);
    expect(p.backlog).toBe(0);
  });
});
