import { PeopleDirectory } from "../../../src/core/identity/people-directory.js";
import { silentLogger } from "../../../src/core/ports/logger.js";
import type { LockReminderMessage, ReminderSender, SendOutcome, WindowNoticeMessage } from "../../../src/core/ports/reminder-sender.js";
import { runReminderRound, type ReminderRoundDeps } from "../../../src/core/reminders/reminder-round.js";
import { aSlackActor } from "../../kit/builders.js";
import { coreHarness, denyWindow, testConfig } from "../harness.js";

interface Sent {
  readonly to: string;
  readonly what: string;
}

/** Records what it was asked to send; `fail` makes matching sends throw (Slack down) or be refused. */
class RecordingSender implements ReminderSender {
  readonly sent: Sent[] = [];
  /** Every send asked for, including those that threw. */
  readonly attempts: string[] = [];
  readonly windows: WindowNoticeMessage[] = [];
  readonly locks: LockReminderMessage[] = [];
  fail: ((to: string) => "throw" | "refuse" | undefined) | undefined;

  async sendLockReminder(userId: string, message: LockReminderMessage): Promise<SendOutcome> {
    const outcome = this.outcome(userId);
    this.locks.push(message);
    this.sent.push({ to: userId, what: `lock ${message.lock.service}/${message.lock.env} held ${message.heldMs / 3_600_000}h` });
    return outcome;
  }

  async sendWindowNotice(channel: string, message: WindowNoticeMessage): Promise<SendOutcome> {
    const outcome = this.outcome(channel);
    this.windows.push(message);
    this.sent.push({ to: channel, what: `${message.kind} ${message.window.name}` });
    return outcome;
  }

  private outcome(to: string): SendOutcome {
    this.attempts.push(to);
    const failure = this.fail?.(to);
    if (failure === "throw") throw new Error("Slack is down");
    return failure === "refuse" ? "refused" : "sent";
  }
}

// Election night: 11:00–12:00 in New York on the harness's day (16:00–17:00Z).
const config = testConfig({
  announceChannel: "C0ANNOUNCE",
  windows: [denyWindow("Election night", "2026-11-27T11:00", "2026-11-27T12:00", { environments: ["staging"] })],
  services: {
    donations: { repo: "hfa/donations", slackChannel: "C0DONATIONS", onMerge: [], environments: {} },
    events: { repo: "hfa/events", onMerge: [], environments: {} },
  },
  // U9 has no GitHub login; an explicit entry lets them lock.
  admins: ["sre-sam", "slack:U9"],
});

function setUp() {
  const h = coreHarness(config);
  const sender = new RecordingSender();
  const replica = (claimant: string): ReminderRoundDeps => ({
    config,
    store: h.store,
    directory: new PeopleDirectory(config, h.store),
    queues: h.orchestrator,
    logger: silentLogger,
    sender,
    claimant,
  });
  const a = replica("replica-a");
  const b = replica("replica-b");
  const both = async () => {
    const now = h.clock.now();
    const reports = await Promise.all([runReminderRound(a, now), runReminderRound(b, now)]);
    return reports.reduce((sum, r) => sum + r.sent, 0);
  };
  const runRound = async (deps: ReminderRoundDeps) => (await runReminderRound(deps, h.clock.now())).sent;
  return { ...h, sender, a, b, both, runRound };
}

describe("a reminder round", () => {
  it("announces a window before, at and after it, once per channel across two replicas, and starts what it held, in order", async () => {
    const h = setUp();
    await h.time.set("2026-11-27T15:29:00Z");
    expect(await h.both()).toBe(0);
    await h.time.set("2026-11-27T15:30:00Z");
    expect(await h.both()).toBe(2);
    expect(h.sender.sent).toEqual([
      { to: "C0DONATIONS", what: "window_soon Election night" },
      { to: "C0ANNOUNCE", what: "window_soon Election night" },
    ]);
    expect(await h.both()).toBe(0);

    // Deploys queued behind running ones before the window: when those end inside it, the queue waits.
    const running = [await h.deploy("donations", "staging", { ref: "main" }), await h.deploy("events", "staging", { ref: "main" })];
    await h.time.advance(1000);
    const first = await h.deploy("donations", "staging", { ref: "main" });
    await h.time.advance(1000);
    const second = await h.deploy("donations", "staging", { ref: "main" });
    await h.time.advance(1000);
    const other = await h.deploy("events", "staging", { ref: "main" });
    expect([...running, first, second, other].map((r) => r.outcome)).toEqual(["started", "started", "queued", "queued", "queued"]);
    await h.time.set("2026-11-27T16:00:00Z");
    expect(await h.both()).toBe(2);
    for (const r of running) h.pipeline.finish(r.record!.executionId ?? (await h.store.getDeploy(r.record!.id))!.executionId!, "Succeeded");
    await h.pollAll();
    for (const r of [first, other]) expect(await h.store.getDeploy(r.record!.id)).toMatchObject({ state: "queued", waitingReason: expect.stringContaining("critical window") });

    await h.time.set("2026-11-27T17:00:00Z");
    expect(await h.both()).toBe(2);
    const ended = h.sender.windows.filter((w) => w.kind === "window_end");
    expect(ended).toHaveLength(2);
    for (const notice of ended) expect(notice.released.map((d) => d.id)).toEqual([first.record!.id, second.record!.id, other.record!.id]);
    expect((await h.store.getDeploy(first.record!.id))?.state).toBe("running");
    expect((await h.store.getDeploy(other.record!.id))?.state).toBe("running");
    // One runs at a time per service and environment: the second waits for the first.
    expect((await h.store.getDeploy(second.record!.id))?.state).toBe("queued");
    expect(h.pipeline.startCalls().map((c) => c.deployId).slice(2)).toEqual([first.record!.id, other.record!.id]);
    expect(await h.both()).toBe(0);
  });

  it("tries a send that failed again at the next round, and never again one the destination refused for good", async () => {
    const h = setUp();
    await h.time.set("2026-11-27T15:30:00Z");
    h.sender.fail = (to) => (to === "C0ANNOUNCE" ? "throw" : to === "C0DONATIONS" ? "refuse" : undefined);
    expect(await h.runRound(h.a)).toBe(1);
    h.sender.fail = undefined;
    await h.time.advance(60_000);
    expect(await h.runRound(h.b)).toBe(1);
    expect(h.sender.attempts).toEqual(["C0DONATIONS", "C0ANNOUNCE", "C0ANNOUNCE"]);
    expect(await h.both()).toBe(0);
  });

  it("reminds a lock's owner by direct message once per period, across two replicas, not API clients", async () => {
    const h = setUp();
    const lockedBy = (user: string, login: string | undefined, service: string) =>
      h.run({ verb: "lock", service, env: "staging" }, { actor: aSlackActor(user, login) });
    expect((await lockedBy("U1", "alice", "donations")).outcome).toBe("done");
    expect((await lockedBy("U9", undefined, "events")).outcome).toBe("done");
    expect((await h.run({ verb: "lock", service: "donations", env: "prod" })).outcome).toBe("done");
    const round = await h.runRound(h.a);
    expect(round).toBe(0);
    await h.time.advance(4 * 3_600_000 - 1);
    expect(await h.both()).toBe(0);
    await h.time.advance(1);
    expect(await h.both()).toBe(2);
    expect(h.sender.sent).toEqual([
      { to: "U1", what: "lock donations/staging held 4h" },
      { to: "U9", what: "lock events/staging held 4h" },
    ]);
    expect(h.sender.locks[0]).toMatchObject({ unlockCommand: "unlock donations staging", extendCommand: "lock donations staging for 2h" });
    await h.time.advance(3_600_000);
    expect(await h.both()).toBe(0);
    await h.time.advance(3 * 3_600_000);
    expect(await h.both()).toBe(2);
  });

  it("says when to wake up next: the next window moment or lock period", async () => {
    const h = setUp();
    expect((await runReminderRound(h.a, h.clock.now())).next?.toISOString()).toBe("2026-11-27T15:30:00.000Z");
    await h.run({ verb: "lock", service: "donations", env: "staging" }, { actor: aSlackActor("U1", "alice") });
    await h.time.set("2026-11-27T17:30:00Z");
    expect((await runReminderRound(h.a, h.clock.now())).next?.toISOString()).toBe("2026-11-27T19:00:00.000Z");
  });
});
