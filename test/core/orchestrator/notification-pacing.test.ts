import { NotificationQueue } from "../../../src/core/orchestrator/notification-queue.js";
import { silentLogger } from "../../../src/core/ports/logger.js";
import type { Pacer } from "../../../src/core/ports/pacer.js";
import { FakeTime } from "../../kit/fake-time.js";
import { aNewDeploy } from "../../kit/builders.js";
import { RecordingNotifier, sha } from "../../fakes/fakes.js";
import { MemoryStore } from "../../fakes/memory-store.js";

/** A pacer whose turns the test hands out one by one. */
class HeldPacer implements Pacer {
  private readonly waiting: Array<() => void> = [];
  turn(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    for (const give of this.waiting.splice(0)) give();
  }
  giveOne(): void {
    this.waiting.shift()?.();
  }
  get held(): number {
    return this.waiting.length;
  }
}


describe("NotificationQueue with a pacer", () => {
  test("events wait for their turn, then go out in order, and only then is the deploy marked notified", async () => {
    const store = new MemoryStore();
    const seen = new RecordingNotifier();
    const pacer = new HeldPacer();
    const queue = new NotificationQueue(store, seen, new FakeTime().clock, silentLogger, pacer);
    await store.insertDeploy(aNewDeploy({ sha: sha("1") }));
    const running = (await store.updateDeploy("d-1", { state: "running", startedAt: "2026-12-03T09:00:01.000Z" }))!;
    queue.send("queued", (await store.getDeploy("d-1"))!);
    queue.send("started", running);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.events).toHaveLength(0);
    expect(pacer.held).toBe(1);
    expect((await store.getDeploy("d-1"))?.notifiedState).toBeUndefined();

    pacer.giveOne();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.events.map((e) => e.type)).toEqual(["queued"]);
    pacer.giveOne();
    await queue.idle();
    expect(seen.events.map((e) => e.type)).toEqual(["queued", "started"]);
    expect((await store.getDeploy("d-1"))?.notifiedState).toBe("running");
  });
});
