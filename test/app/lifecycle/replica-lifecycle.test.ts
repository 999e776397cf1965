import { ReplicaLifecycle, type ReplicaParts } from "../../../src/app/lifecycle/replica-lifecycle.js";
import { FakeTime, flush } from "../../kit/fake-time.js";
import { RecordingLogger } from "../../kit/recording-logger.js";

const SWEEP_MS = 1_000;

/** Parts that write what is asked of them, in order, to one journal; a test makes any of them slow or failing. */
function fakeReplica() {
  const journal: string[] = [];
  const note =
    (entry: string, result?: () => Promise<unknown>) =>
    async (...args: unknown[]): Promise<never> => {
      journal.push(args.length > 0 && args[0] !== undefined ? `${entry} ${JSON.stringify(args[0])}` : entry);
      return (await result?.()) as never;
    };
  const tracked = ["d-1", "d-2"];
  const parts = {
    replicaId: "replica-a",
    identity: { renew: note("identity renewed", async () => true), release: note("identity released") },
    orchestrator: { sweep: note("deploys swept") },
    inbox: { sweep: note("inbox swept", async () => 0), idle: note("inbox idle"), handBack: note("inbox handed back") },
    tracker: { tracked: () => tracked, poke: (id: string) => void journal.push(`poked ${id}`), stop: note("tracker stopped") },
    freezes: { reconcile: note("freezes reconciled"), stop: note("freezes stopped") },
    retention: { start: () => void journal.push("retention started"), stop: note("retention stopped") },
    reminders: { start: () => void journal.push("reminders started"), stop: note("reminders stopped") },
    watchdog: { start: () => void journal.push("watchdog started"), stop: note("watchdog stopped") },
    http: { drain: note("http drained") },
    notifications: { idleWithin: note("reports waited for", async () => true) },
    leases: { handBack: note("leases handed back") },
    surfaces: [{ name: "slack", start: note("slack started"), stop: note("slack stopped") }],
    warmUp: async () => void journal.push("warm-up"),
  } satisfies ReplicaParts;
  return { journal, parts };
}

function lifecycleOf(parts: ReplicaParts, shutdownMs = 5_000) {
  const timers = new FakeTime();
  const logger = new RecordingLogger();
  const lifecycle = new ReplicaLifecycle(parts, { timers, logger, sweepIntervalMs: SWEEP_MS, shutdownReportsMs: 2_000, shutdownMs });
  return { lifecycle, timers, logger };
}

const never = () => new Promise<never>(() => {});

describe("replica lifecycle: start", () => {
  test("starts surfaces, sweeps as a restart, catches up tracked deploys, then starts the background duties", async () => {
    const { journal, parts } = fakeReplica();
    const { lifecycle } = lifecycleOf(parts);
    await lifecycle.start();
    await flush();
    expect(journal).toEqual([
      "slack started",
      "identity renewed",
      "deploys swept",
      `inbox swept ${JSON.stringify({ restarted: true })}`,
      "poked d-1",
      "poked d-2",
      "freezes reconciled",
      "retention started",
      "reminders started",
      "watchdog started",
      "warm-up",
    ]);
  });

  test("start-up does not wait for the warm-up or the freeze reconcile (both may wait on CodePipeline)", async () => {
    const { journal, parts } = fakeReplica();
    const { lifecycle } = lifecycleOf({ ...parts, warmUp: never, freezes: { ...parts.freezes, reconcile: never } });
    await expect(lifecycle.start()).resolves.toBeUndefined();
    expect(journal).toContain("retention started");
  });

  test("a warm-up that fails is logged, not left as an unhandled rejection", async () => {
    const { parts } = fakeReplica();
    const { lifecycle, logger } = lifecycleOf({ ...parts, warmUp: async () => Promise.reject(new Error("throttled")) });
    await lifecycle.start();
    await flush();
    expect(logger.messages("warn")).toEqual(["pipeline warm-up failed; the first deploy reads its pipeline itself"]);
  });
});

describe("replica lifecycle: sweeps", () => {
  test("sweeps once per interval, not as a restart, and not before the interval has passed", async () => {
    const { journal, parts } = fakeReplica();
    const { lifecycle, timers } = lifecycleOf(parts);
    await lifecycle.start();
    journal.length = 0;

    await timers.advance(SWEEP_MS - 1);
    expect(journal).toEqual([]);
    await timers.advance(1);
    expect(journal).toEqual(["identity renewed", "deploys swept", `inbox swept ${JSON.stringify({ restarted: false })}`]);
    await timers.advance(SWEEP_MS);
    expect(journal.filter((e) => e === "deploys swept")).toHaveLength(2);
  });

  test("a slow sweep is never overlapped: the next one starts an interval after it ends", async () => {
    const { journal, parts } = fakeReplica();
    let finishSweep = () => {};
    let slow = false;
    const orchestrator = {
      sweep: async () => {
        journal.push("deploys swept");
        if (slow) await new Promise<void>((resolve) => (finishSweep = resolve));
      },
    };
    const { lifecycle, timers } = lifecycleOf({ ...parts, orchestrator });
    await lifecycle.start();
    slow = true;
    await timers.advance(SWEEP_MS);
    await timers.advance(5 * SWEEP_MS);
    expect(journal.filter((e) => e === "deploys swept")).toHaveLength(2);

    slow = false;
    finishSweep();
    await flush();
    await timers.advance(SWEEP_MS);
    expect(journal.filter((e) => e === "deploys swept")).toHaveLength(3);
  });

  test("a failing part is logged with its name and the other parts still run; the next sweep tries again", async () => {
    const { journal, parts } = fakeReplica();
    let failures = 1;
    const orchestrator = {
      sweep: async () => {
        journal.push("deploys swept");
        if (failures-- > 0) throw new Error("database is down");
      },
    };
    const { lifecycle, timers, logger } = lifecycleOf({ ...parts, orchestrator });
    await lifecycle.start();
    expect(logger.lines).toEqual([expect.objectContaining({ level: "warn", msg: "sweep failed; will retry", part: "deploys" })]);
    expect(journal).toContain(`inbox swept ${JSON.stringify({ restarted: true })}`);

    await timers.advance(SWEEP_MS);
    expect(journal.filter((e) => e === "deploys swept")).toHaveLength(2);
    expect(logger.lines).toHaveLength(1);
  });

  test("a replica id another server has taken is reported as an error at each sweep", async () => {
    const { parts } = fakeReplica();
    const { lifecycle, logger } = lifecycleOf({ ...parts, identity: { ...parts.identity, renew: async () => false } });
    await lifecycle.sweep();
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: "error", replica: "replica-a", msg: "another server has taken this replica id; give each server its own WHISTLESTOP_REPLICA_ID" }),
    ]);
  });
});

describe("replica lifecycle: graceful stop", () => {
  const STOP_ORDER = [
    "http drained",
    "tracker stopped",
    "freezes stopped",
    "retention stopped",
    "reminders stopped",
    "watchdog stopped",
    "reports waited for 2000",
    "leases handed back",
    "identity released",
    "slack stopped",
    "inbox idle",
    "inbox handed back",
  ];

  test("stops taking work, finishes in-flight work, then hands everything back, in this order", async () => {
    const { journal, parts } = fakeReplica();
    const { lifecycle } = lifecycleOf(parts);
    await lifecycle.start();
    journal.length = 0;
    await lifecycle.stop();
    expect(journal).toEqual(STOP_ORDER);
  });

  test("no sweep runs after the stop, and asking twice stops once", async () => {
    const { journal, parts } = fakeReplica();
    const { lifecycle, timers } = lifecycleOf(parts);
    await lifecycle.start();
    await Promise.all([lifecycle.stop(), lifecycle.stop()]);
    await lifecycle.stop();
    journal.length = 0;
    await timers.advance(10 * SWEEP_MS);
    expect(journal).toEqual([]);
  });

  test("the warm-up is told to stop once the replica stops", async () => {
    const { parts } = fakeReplica();
    let stoppedNow: () => boolean = () => false;
    const { lifecycle } = lifecycleOf({ ...parts, warmUp: async (stopped) => void (stoppedNow = stopped) });
    await lifecycle.start();
    expect(stoppedNow()).toBe(false);
    await lifecycle.stop();
    expect(stoppedNow()).toBe(true);
  });

  test("a step past the deadline is left behind, the rest of the in-flight steps are skipped, and the hand-back still runs", async () => {
    const { journal, parts } = fakeReplica();
    const { lifecycle, timers, logger } = lifecycleOf({ ...parts, tracker: { ...parts.tracker, stop: never } }, 300);
    await lifecycle.start();
    journal.length = 0;

    const stopping = lifecycle.stop();
    await flush(); // up to the poll that never answers
    await timers.advance(300);
    await stopping;

    expect(journal).toEqual(["http drained", "leases handed back", "identity released", "slack stopped", "inbox idle", "inbox handed back"]);
    expect(logger.lines.filter((l) => l.level === "warn").map((l) => [l.msg, l.step])).toEqual([
      ["shutdown step did not finish in time; left behind", "tracker stopped"],
      ["shutdown deadline passed; step skipped", "freezes stopped"],
      ["shutdown deadline passed; step skipped", "retention stopped"],
      ["shutdown deadline passed; step skipped", "reminders stopped"],
      ["shutdown deadline passed; step skipped", "watchdog stopped"],
      ["shutdown deadline passed; step skipped", "reports delivered"],
    ]);
  });

  test("reports get what is left of the deadline when that is less than their own limit", async () => {
    const { journal, parts } = fakeReplica();
    const { lifecycle, timers } = lifecycleOf({ ...parts, http: { drain: () => timers.advance(4_500) } }, 5_000);
    await lifecycle.start();
    journal.length = 0;
    await lifecycle.stop();
    expect(journal).toContain("reports waited for 500");
  });

  test("reports still being delivered are logged as re-sent after the restart", async () => {
    const { parts } = fakeReplica();
    const { lifecycle, logger } = lifecycleOf({ ...parts, notifications: { idleWithin: async () => false } });
    await lifecycle.stop();
    expect(logger.messages("warn")).toEqual(["some reports were still being delivered; they are sent again after the restart"]);
  });

  test("a step that fails is logged and the steps after it still run", async () => {
    const { journal, parts } = fakeReplica();
    const failing = async () => Promise.reject(new Error("boom"));
    const { lifecycle, logger } = lifecycleOf({ ...parts, freezes: { ...parts.freezes, stop: failing }, identity: { ...parts.identity, release: failing } });
    await lifecycle.stop();
    expect(journal).toEqual(STOP_ORDER.filter((s) => s !== "freezes stopped" && s !== "identity released"));
    expect(logger.lines.filter((l) => l.msg === "shutdown step failed").map((l) => l.step)).toEqual(["freezes stopped", "replica id released"]);
  });

  test("accepted requests that cannot be handed back are logged; the stop still resolves", async () => {
    const { parts } = fakeReplica();
    const { lifecycle, logger } = lifecycleOf({ ...parts, inbox: { ...parts.inbox, handBack: async () => Promise.reject(new Error("db down")) } });
    await expect(lifecycle.stop()).resolves.toBeUndefined();
    expect(logger.messages("warn")).toEqual(["could not hand back accepted requests; another replica takes them when their leases expire"]);
  });
});
