import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/adapters/store/open-store.js";
import { createLogger } from "../../src/app/logger.js";
import { RetentionDuty } from "../../src/app/retention-duty.js";
import type { Store } from "../../src/core/ports/store.js";
import { FakeTime } from "../kit/fake-time.js";

const DAY = 24 * 3_600_000;
const START = Date.parse("2027-06-01T00:00:00.000Z");

/** Two replicas on one store: each checks hourly, one prunes per day, and only rows past retention go (never a stage's newest runs). */
describe("retention duty", () => {
  let dir: string;
  let stores: Store[];
  const timers = new FakeTime(new Date(START));
  const now = () => timers.clock.now();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "whistlestop-retention-"));
    const sqlitePath = join(dir, "store.db");
    stores = [await openStore({ sqlitePath }), await openStore({ sqlitePath })];
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  test("prunes once a day across replicas, keeping what is younger than the retention period", async () => {
    const [a, b] = stores as [Store, Store];
    const audit = (daysAgo: number) => a.appendAudit({ at: new Date(START - daysAgo * DAY).toISOString(), actor: "alice", surface: "api", action: "deploy", outcome: "started" });
    await audit(31);
    await audit(29.5);
    const reminder = (daysAgo: number) => ({ kind: "window_end", subject: "Election night", occurrence: `${daysAgo}`, channel: "C0ANNOUNCE" });
    for (const daysAgo of [8, 6]) await a.claimReminder(reminder(daysAgo), "replica-a", new Date(START - daysAgo * DAY), new Date(START - daysAgo * DAY + 60_000));
    // 21 runs of Deploy, all past retention: the oldest goes, the 20 the watchdog reads stay; Bake's one old run stays too.
    const stageRun = (stage: string, daysAgo: number) => {
      const finished = START - daysAgo * DAY;
      return { deployId: `d-${stage}-${daysAgo}`, service: "donations", env: "prod", stage, startedAt: new Date(finished - 60_000).toISOString(), finishedAt: new Date(finished).toISOString() };
    };
    await a.recordStageRuns([...Array.from({ length: 21 }, (_, i) => stageRun("Deploy", 40 + i)), stageRun("Bake", 90)]);
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
    const duties = [a, b].map((store) => new RetentionDuty({ store, timers, logger, now, retentionMs: 30 * DAY }));
    duties.forEach((duty) => duty.start());
    const settled = () => Promise.all(duties.map((d) => d.idle()));
    await settled();
    const pruned = () => lines.filter((l) => l.msg === "retention: pruned history older than the retention period");
    expect(pruned()).toHaveLength(1);
    expect(pruned()[0]).toMatchObject({ audit: 1, keys: 0, requests: 0, stageRuns: 1, reminders: 1 });
    expect(await b.recentStageDurations("donations", "prod", "Deploy", 100)).toHaveLength(20);
    expect(await b.recentStageDurations("donations", "prod", "Bake", 100)).toHaveLength(1);
    expect((await b.listAudit({})).map((e) => e.at)).toEqual([new Date(START - 29.5 * DAY).toISOString()]);

    // Hourly checks through the day do nothing; the next day one replica prunes again.
    for (let hour = 1; hour <= 23; hour++) {
      await timers.advance(3_600_000);
      await settled();
    }
    expect(pruned()).toHaveLength(1);
    await timers.advance(3_600_000);
    await settled();
    expect(pruned()).toHaveLength(2);
    expect((await b.listAudit({})).map((e) => e.at)).toEqual([]);
    await Promise.all(duties.map((d) => d.stop()));
  });
});
