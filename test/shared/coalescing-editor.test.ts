import { CoalescingEditor } from "../../src/adapters/shared/coalescing-editor.js";
import { flush, FakeTime } from "../kit/fake-time.js";

interface Sent {
  readonly key: string;
  readonly payload: string;
  readonly at: number;
}

function setup(options: { failTimes?: number } = {}) {
  const timers = new FakeTime();
  const sent: Sent[] = [];
  const errors: unknown[] = [];
  let failures = options.failTimes ?? 0;
  const coalescer = new CoalescingEditor<string>(
    async (key, payload) => {
      if (failures > 0) {
        failures--;
        throw new Error("slack down");
      }
      sent.push({ key, payload, at: timers.now() });
    },
    timers,
    1000,
    (error) => errors.push(error),
  );
  return { timers, sent, errors, coalescer };
}

describe("CoalescingEditor (Slack cards, GitHub comments): at most one edit per second per message, always ending on the newest state", () => {
  test("the first edit goes out at once; a burst within the second collapses into its newest payload", async () => {
    const { timers, sent, coalescer } = setup();
    coalescer.schedule("d1", "Bake running");
    await flush();
    coalescer.schedule("d1", "Bake done");
    coalescer.schedule("d1", "Deploy running");
    coalescer.schedule("d1", "Deploy 50%");
    await flush();
    expect(sent.map((s) => s.payload)).toEqual(["Bake running"]);
    await timers.advance(999);
    expect(sent).toHaveLength(1);
    await timers.advance(1);
    expect(sent.map((s) => [s.payload, s.at])).toEqual([
      ["Bake running", 0],
      ["Deploy 50%", 1000],
    ]);
  });

  test("edits are spaced by at least the interval over a long run of progress", async () => {
    const { timers, sent, coalescer } = setup();
    for (let t = 0; t < 10_000; t += 100) {
      coalescer.schedule("d1", `state at ${t}`);
      await timers.advance(100);
    }
    await timers.advance(2000);
    const gaps = sent.slice(1).map((s, i) => s.at - sent[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
    expect(sent.length).toBeLessThanOrEqual(11);
    expect(sent.at(-1)!.payload).toBe("state at 9900");
  });

  test("cards are paced independently", async () => {
    const { sent, coalescer } = setup();
    coalescer.schedule("d1", "a1");
    coalescer.schedule("d2", "b1");
    await flush();
    expect(sent.map((s) => s.key).sort()).toEqual(["d1", "d2"]);
  });

  test("deliver resolves only after the final payload was sent, waiting for the card's slot", async () => {
    const { timers, sent, coalescer } = setup();
    coalescer.schedule("d1", "running");
    await flush();
    let resolved = false;
    const final = coalescer.deliver("d1", "succeeded").then(() => (resolved = true));
    await flush();
    expect(resolved).toBe(false);
    await timers.advance(1000);
    await final;
    expect(resolved).toBe(true);
    expect(sent.at(-1)).toMatchObject({ payload: "succeeded", at: 1000 });
  });

  test("a progress edit scheduled after the final one never overwrites it out of order", async () => {
    const { timers, sent, coalescer } = setup();
    coalescer.schedule("d1", "running");
    await flush();
    const final = coalescer.deliver("d1", "succeeded");
    await timers.advance(1000);
    await final;
    expect(sent.map((s) => s.payload)).toEqual(["running", "succeeded"]);
  });

  test("a failed final edit rejects deliver (the event is then re-sent); a failed progress edit is only reported", async () => {
    const { errors, coalescer, sent, timers } = setup({ failTimes: 2 });
    coalescer.schedule("d1", "running");
    await flush();
    expect(errors).toHaveLength(1);
    const final = coalescer.deliver("d1", "failed");
    const outcome = final.then(
      () => "resolved",
      () => "rejected",
    );
    await timers.advance(1000);
    expect(await outcome).toBe("rejected");
    const retried = coalescer.deliver("d1", "failed");
    await timers.advance(1000);
    await retried;
    expect(sent.map((s) => s.payload)).toEqual(["failed"]);
  });

  test("touch (the card was just posted) makes the next edit wait its interval", async () => {
    const { timers, sent, coalescer } = setup();
    coalescer.touch("d1");
    coalescer.schedule("d1", "running");
    await flush();
    expect(sent).toHaveLength(0);
    await timers.advance(1000);
    expect(sent.map((s) => s.payload)).toEqual(["running"]);
  });

  test("idle waits for pending edits", async () => {
    const { timers, sent, coalescer } = setup();
    coalescer.schedule("d1", "one");
    coalescer.schedule("d1", "two");
    let idle = false;
    const done = coalescer.idle().then(() => (idle = true));
    await flush();
    expect(idle).toBe(false);
    await timers.advance(1000);
    await done;
    expect(sent.map((s) => s.payload)).toEqual(["one", "two"]);
    expect(coalescer.backlog).toBe(0);
  });

  test("callers of deliver within one interval share one send of the newest payload; each resolves once it is out", async () => {
    const { timers, sent, coalescer } = setup();
    coalescer.touch("c1");
    const updates = ["a", "b", "c"].map((body) => coalescer.deliver("c1", body));
    await timers.advance(1000);
    await Promise.all(updates);
    expect(sent.map((s) => [s.payload, s.at])).toEqual([["c", 1000]]);
    const later = coalescer.deliver("c1", "d");
    await timers.advance(1000);
    await later;
    expect(sent.map((s) => [s.payload, s.at])).toEqual([
      ["c", 1000],
      ["d", 2000],
    ]);
  });

  test("a failed send rejects every caller of deliver that was waiting on it, and reports nothing else", async () => {
    const { timers, errors, coalescer } = setup({ failTimes: 1 });
    coalescer.touch("c1");
    const updates = ["x", "y"].map((body) => coalescer.deliver("c1", body).catch((error: Error) => error.message));
    await timers.advance(1000);
    expect(await Promise.all(updates)).toEqual(["slack down", "slack down"]);
    expect(errors).toEqual([]);
  });

  test("a message is forgotten once its interval passes without another edit, posted-only ones too", async () => {
    const { timers, coalescer } = setup();
    await coalescer.deliver("d1", "succeeded");
    coalescer.touch("d2");
    expect(coalescer.size).toBe(2);
    await timers.advance(1000);
    expect(coalescer.size).toBe(0);
  });
});
