import { RequestInbox } from "../../src/app/request-inbox.js";
import { FakeTime } from "../kit/fake-time.js";
import { RecordingLogger } from "../kit/recording-logger.js";
import { MemoryStore } from "../fakes/memory-store.js";

const LEASE_MS = 45_000;

/** Replicas sharing one store and one clock; each records the payloads its handler saw. */
function world() {
  const store = new MemoryStore();
  const time = new FakeTime("2026-11-03T20:00:00Z");
  const clock = time.clock;
  const replica = (replicaId: string, handler?: (payload: unknown) => Promise<void>) => {
    const seen: unknown[] = [];
    const logger = new RecordingLogger();
    const inbox = new RequestInbox({ store, clock, logger, replicaId, leaseMs: LEASE_MS, maxAttempts: 3 });
    inbox.handle("slack.command", async (payload) => {
      seen.push(payload);
      await handler?.(payload);
    });
    return { inbox, seen, logger };
  };
  return { store, time, replica };
}

describe("RequestInbox", () => {
  test("records a request once; a copy is a duplicate; the work finishes it", async () => {
    const { store, time, replica } = world();
    const a = replica("a");
    expect(await a.inbox.accept("slack:command:1", "slack.command", { text: "deploy donations staging" })).toBe("accepted");
    expect(await a.inbox.accept("slack:command:1", "slack.command", { text: "something else" })).toBe("duplicate");
    expect(await a.inbox.work("slack:command:1", "slack.command", { text: "deploy donations staging" })).toBe(true);

    expect(a.seen).toEqual([{ text: "deploy donations staging" }]);
    expect(store.requests.get("slack:command:1")).toMatchObject({ outcome: "done" });
    await time.advance(LEASE_MS * 10);
    expect(await replica("b").inbox.sweep()).toBe(0);
  });

  test("requests arriving together are recorded in one write; a key twice in it is accepted once", async () => {
    const { store, replica } = world();
    const writes: number[] = [];
    const acceptRequests = store.acceptRequests.bind(store);
    store.acceptRequests = async (batch, ownerId, leaseEnd) => {
      writes.push(batch.length);
      return acceptRequests(batch, ownerId, leaseEnd);
    };
    const a = replica("a");
    const answers = await Promise.all(["k1", "k2", "k1", "k3"].map((key) => a.inbox.accept(key, "slack.command", { key })));
    expect(answers).toEqual(["accepted", "accepted", "duplicate", "accepted"]);
    expect(writes).toEqual([4]);
    expect(await a.inbox.accept("k2", "slack.command", {})).toBe("duplicate");
    expect(writes).toEqual([4, 1]);
  });

  test("refuses a kind nobody handles, and lets a store failure through (the surface says nothing was done)", async () => {
    const { store, replica } = world();
    const a = replica("a");
    await expect(a.inbox.accept("k", "github.merge", {})).rejects.toThrow(/no handler for github.merge/);
    store.down = true;
    await expect(a.inbox.accept("k", "slack.command", {})).rejects.toThrow(/ECONNREFUSED/);
  });

  test("a request whose replica died is worked on by another once the lease runs out, not before", async () => {
    const { store, time, replica } = world();
    const dead = replica("dead");
    await dead.inbox.accept("slack:command:2", "slack.command", { text: "lock events prod" });
    // It dies here: accepted and acknowledged, never worked on.
    const alive = replica("alive");
    await time.advance(LEASE_MS - 1);
    expect(await alive.inbox.sweep()).toBe(0);
    await time.advance(1);
    expect(await alive.inbox.sweep()).toBe(1);
    await alive.inbox.idle();

    expect(alive.seen).toEqual([{ text: "lock events prod" }]);
    expect(store.requests.get("slack:command:2")).toMatchObject({ outcome: "done", attempts: 2, ownerId: "alive" });
  });

  test("a live replica renews the leases of what it is working on, so slow work is never taken from it", async () => {
    const { store, time, replica } = world();
    let finish: () => void = () => {};
    const slow = replica("slow", () => new Promise<void>((resolve) => (finish = resolve)));
    await slow.inbox.accept("slack:command:3", "slack.command", {});
    const working = slow.inbox.work("slack:command:3", "slack.command", {});
    const other = replica("other");
    for (let i = 0; i < 5; i++) {
      await time.advance(15_000);
      await slow.inbox.sweep();
      expect(await other.inbox.sweep()).toBe(0);
    }
    finish();
    expect(await working).toBe(true);
    expect(slow.seen).toHaveLength(1);
    expect(other.seen).toEqual([]);
    expect(store.requests.get("slack:command:3")).toMatchObject({ outcome: "done", attempts: 1 });
  });

  test("a replica that keeps its id (SQLite) works on its own leftovers at once after a restart", async () => {
    const { time, replica } = world();
    await replica("sqlite-host").inbox.accept("slack:command:4", "slack.command", { text: "deploys" });
    await time.advance(1_000);
    const restarted = replica("sqlite-host");
    expect(await restarted.inbox.sweep({ restarted: true })).toBe(1);
    await restarted.inbox.idle();
    expect(restarted.seen).toEqual([{ text: "deploys" }]);
  });

  test("a failing handler leaves the request for a later sweep, which gives up after the last attempt", async () => {
    const { store, time, replica } = world();
    const failing = replica("a", async () => {
      throw new Error("Slack is down");
    });
    await failing.inbox.accept("slack:command:5", "slack.command", {});
    expect(await failing.inbox.work("slack:command:5", "slack.command", {})).toBe(false);
    expect(failing.logger.lines).toContainEqual(expect.objectContaining({ level: "warn", msg: expect.stringContaining("tried again once its lease runs out") }));

    for (const attempt of [2, 3]) {
      await time.advance(LEASE_MS);
      expect(await failing.inbox.sweep()).toBe(1);
      await failing.inbox.idle();
      expect(store.requests.get("slack:command:5")).toMatchObject({ attempts: attempt });
      expect(store.requests.get("slack:command:5")?.outcome).toBeUndefined();
    }
    await time.advance(LEASE_MS);
    expect(await failing.inbox.sweep()).toBe(1);
    await failing.inbox.idle();
    expect(failing.seen).toHaveLength(3);
    expect(store.requests.get("slack:command:5")).toMatchObject({ outcome: "given_up", attempts: 4 });
    expect(failing.logger.lines).toContainEqual(expect.objectContaining({ level: "error", msg: expect.stringContaining("gave up on an accepted request") }));
  });

  test("a graceful stop hands its unfinished requests to the next replica at once", async () => {
    const { time, replica } = world();
    const stopping = replica("stopping");
    await stopping.inbox.accept("slack:command:6", "slack.command", {});
    await stopping.inbox.handBack();
    await time.advance(1);
    const next = replica("next");
    expect(await next.inbox.sweep()).toBe(1);
  });

  test("finished requests are forgotten after a week, unfinished ones never", async () => {
    const { store, time, replica } = world();
    const a = replica("a");
    await a.inbox.accept("done", "slack.command", {});
    await a.inbox.work("done", "slack.command", {});
    await a.inbox.accept("open", "slack.command", {});
    await time.advance(7 * 24 * 3_600_000 + 1);
    await a.inbox.sweep();
    expect([...store.requests.keys()]).toEqual(["open"]);
  });
});
