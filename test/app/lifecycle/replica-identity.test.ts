import { ReplicaIdentity, type ReplicaIdentityOptions } from "../../../src/app/lifecycle/replica-identity.js";
import { MemoryStore } from "../../fakes/memory-store.js";

const LEASE = 45_000;

describe("replica identity", () => {
  let store: MemoryStore;
  let clock: number;
  const replica = (overrides: Partial<ReplicaIdentityOptions> = {}) =>
    new ReplicaIdentity({ store, id: "web-1", now: () => new Date(clock), leaseMs: LEASE, host: "host-a", pid: 100, isAlive: () => true, ...overrides });
  const refusal = (identity: ReplicaIdentity) => identity.claim().then(() => "claimed", (error: Error) => error.message);

  beforeEach(() => {
    store = new MemoryStore();
    clock = Date.parse("2027-01-01T00:00:00Z");
  });

  test("a second live server with the same id is refused, naming the holder and what to do", async () => {
    await replica().claim();
    expect(await refusal(replica({ host: "host-b", pid: 7 }))).toBe(
      'cannot start, nothing was started: replica id "web-1" is held by a live server (host host-a, pid 100, started 2027-01-01T00:00:00.000Z, claim renewed until 2027-01-01T00:00:45.000Z). ' +
        "Give each server its own WHISTLESTOP_REPLICA_ID (default: the host name), or stop the other one; a server that died gives its id up when its claim lapses.",
    );
    // On the same host, a process that still runs holds it too.
    expect(await refusal(replica({ pid: 200, isAlive: (pid) => pid === 100 }))).toMatch(/is held by a live server/);
  });

  test("a restarted server takes its id back at once when its previous process is gone", async () => {
    const before = replica();
    await before.claim();
    const restarted = replica({ pid: 300, isAlive: (pid) => pid === 300 });
    expect(await refusal(restarted)).toBe("claimed");
    expect(await before.renew()).toBe(false);
    expect(await restarted.renew()).toBe(true);
    // A container restarted with the same pid (1) is a new life of the same server too.
    expect(await refusal(replica({ pid: 300 }))).toBe("claimed");
  });

  test("another host takes the id once the holder's claim has lapsed, or at once after a graceful stop", async () => {
    const first = replica();
    await first.claim();
    clock += LEASE;
    expect(await refusal(replica({ host: "host-b" }))).toBe("claimed");

    const second = replica({ host: "host-c" });
    clock += LEASE;
    await second.claim();
    await second.release();
    expect(await refusal(replica({ host: "host-d" }))).toBe("claimed");
  });
});
