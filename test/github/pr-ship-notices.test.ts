import { PrShipNotifier } from "../../src/adapters/github/pr-ship-notifier.js";
import { SHIP_NOTICE_MARKER, shipNoticeBody } from "../../src/adapters/github/ship-notice-body.js";
import type { PullRef } from "../../src/core/model/change-set.js";
import type { WhistlestopConfig } from "../../src/core/model/config.js";
import type { Deploy } from "../../src/core/model/deploy.js";
import type { PrShipment } from "../../src/core/model/pr-notice.js";
import type { DeployEvent } from "../../src/core/ports/notifier.js";
import { changeSetFixture } from "../fakes/change-set-fixture.js";
import { MemoryDatabase, MemoryStore } from "../fakes/memory-store.js";
import { aDeploy } from "../kit/builders.js";
import { FakeTime } from "../kit/fake-time.js";
import { RecordingLogger } from "../kit/recording-logger.js";
import { loadTestConfig } from "../kit/test-app.js";
import { realTimers } from "../../src/ports/timers.js";

const REPO = "whistlestop-demo/donations";
const TZ = "America/New_York";

describe("the PR's shipped comment", () => {
  const shipment = (env: string, shippedAt: string, deployId: string, extra: Partial<PrShipment> = {}): PrShipment => ({
    repo: REPO,
    prNumber: 12,
    service: "donations",
    env,
    deployId,
    sha: "a".repeat(40),
    shippedAt,
    ...extra,
  });

  test("lists where it is live with times in the configured zone, the same day shortened, and a rollback below", () => {
    const body = shipNoticeBody(
      {
        repo: REPO,
        prNumber: 12,
        shipments: [
          shipment("staging", "2026-12-01T15:02:00.000Z", "d-1"),
          shipment("prod", "2026-12-01T16:40:00.000Z", "d-2", { takenOut: { deployId: "d-3", at: "2026-12-02T17:10:00.000Z" } }),
        ],
      },
      TZ,
    );
    expect(body.split("\n")).toEqual([
      SHIP_NOTICE_MARKER,
      "🚢 Shipped to **staging** at Tue Dec 1 10:02 EST (deploy `d-1`), **prod** at 11:40 EST (deploy `d-2`).",
      "↩️ Rolled back from **prod** at Wed Dec 2 12:10 EST (deploy `d-3`): not live there now.",
      "",
      "<sub>Whistlestop edits this comment as the change reaches more environments.</sub>",
    ]);
  });

  test("several services deploying one repository are told apart", () => {
    const body = shipNoticeBody({ repo: REPO, prNumber: 12, shipments: [shipment("staging", "2026-12-01T15:02:00.000Z", "d-1"), shipment("staging", "2026-12-01T15:03:00.000Z", "d-2", { service: "events" })] }, TZ);
    expect(body).toContain("🚢 Shipped to **donations/staging** at Tue Dec 1 10:02 EST (deploy `d-1`), **events/staging** at 10:03 EST (deploy `d-2`).");
  });
});

/** GitHub's comment calls, in memory: ids from 500, every call recorded, failures on request. */
class CommentsApi {
  readonly calls: Array<{ method: "create" | "update"; repo: string; id: number; body: string }> = [];
  readonly failures = new Map<number, Array<Error & { status?: number }>>();
  inFlight = 0;
  maxInFlight = 0;
  private nextId = 500;
  private readonly byPr = new Map<number, number>();

  async createComment(repo: string, prNumber: number, body: string): Promise<number> {
    return this.call(prNumber, () => {
      const id = this.nextId++;
      this.byPr.set(id, prNumber);
      this.calls.push({ method: "create", repo, id, body });
      return id;
    });
  }
  async updateComment(repo: string, id: number, body: string): Promise<void> {
    await this.call(this.byPr.get(id)!, () => void this.calls.push({ method: "update", repo, id, body }));
  }
  /** The newest body of each PR's comments, by PR number. */
  commentsOf(prNumber: number): number[] {
    return [...new Set(this.calls.filter((c) => this.byPr.get(c.id) === prNumber).map((c) => c.id))];
  }
  bodyOf(id: number): string {
    return this.calls.filter((c) => c.id === id).at(-1)!.body;
  }
  private async call<T>(prNumber: number, answer: () => T): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    const failure = this.failures.get(prNumber)?.shift();
    if (failure) throw failure;
    return answer();
  }
}

const httpError = (status: number): Error & { status: number } => Object.assign(new Error(status === 404 ? "Not Found" : "Bad Gateway"), { status });

describe("notify_prs", () => {
  let database: MemoryDatabase;
  let api: CommentsApi;
  let logger: RecordingLogger;
  let time: FakeTime;
  let config: WhistlestopConfig;
  const replica = (concurrency = 2) =>
    // Real timers for the short waits on a PR another writer holds; the clock (claims, times) is the test's.
    new PrShipNotifier({ api, store: new MemoryStore(database), config, clock: time.clock, logger, timers: realTimers, commentEditIntervalMs: 0, concurrency, heldWaitsMs: [1, 2, 5] });
  const pulls = (...numbers: number[]): PullRef[] => numbers.map((number) => ({ number, author: "octocat" }));
  const ended = (env: string, id: string, finishedAt: string, prs: PullRef[], overrides: Partial<Deploy> = {}): DeployEvent => ({
    type: "succeeded",
    at: finishedAt,
    deploy: aDeploy({ id, env, state: "succeeded", finishedAt, changeSet: changeSetFixture({ allPulls: prs, pullCount: prs.length }), ...overrides }),
  });

  beforeEach(() => {
    database = new MemoryDatabase();
    api = new CommentsApi();
    logger = new RecordingLogger();
    time = new FakeTime("2026-12-01T15:00:00Z");
    const base = loadTestConfig();
    config = { ...base, services: { ...base.services, donations: { ...base.services.donations!, notifyPrs: true } } };
  });

  test("staging creates one comment per PR; prod edits those same comments; the same end heard again writes nothing", async () => {
    const notifier = replica();
    await notifier.notify(ended("staging", "d-stage", "2026-12-01T15:02:00.000Z", pulls(3, 2, 1)));
    expect(api.calls.map((c) => c.method)).toEqual(["create", "create", "create"]);
    await notifier.notify(ended("prod", "d-prod", "2026-12-01T16:40:00.000Z", pulls(3, 2, 1)));
    expect(api.calls.filter((c) => c.method === "update")).toHaveLength(3);
    for (const pr of [1, 2, 3]) expect(api.commentsOf(pr)).toHaveLength(1);
    expect(api.bodyOf(api.commentsOf(2)[0]!)).toContain("🚢 Shipped to **staging** at Tue Dec 1 10:02 EST (deploy `d-stage`), **prod** at 11:40 EST (deploy `d-prod`).");
    // Another replica, or this one after a restart, hears prod's end again: the comments already say it.
    await replica().notify(ended("prod", "d-prod", "2026-12-01T16:40:00.000Z", pulls(3, 2, 1)));
    expect(api.calls).toHaveLength(6);
    expect(logger.lines).toEqual([]);
  });

  test("two replicas reporting two environments at once still give each PR one comment that lists both", async () => {
    const prs = pulls(...Array.from({ length: 12 }, (_, i) => i + 1));
    await Promise.all([replica().notify(ended("staging", "d-stage", "2026-12-01T15:02:00.000Z", prs)), replica().notify(ended("prod", "d-prod", "2026-12-01T15:02:30.000Z", prs))]);
    for (const pr of prs) {
      const ids = api.commentsOf(pr.number);
      expect(ids).toHaveLength(1);
      expect(api.bodyOf(ids[0]!)).toMatch(/\*\*staging\*\* at .*\*\*prod\*\* at/);
    }
  });

  test("a PR left held by a writer that stopped mid-write is tried again once its claim ran out, never skipped", async () => {
    await new MemoryStore(database).claimPrNotice(REPO, 2, "stopped-replica", time.clock.now(), new Date(time.clock.now().getTime() + 5 * 60_000));
    const notifier = replica();
    const event = ended("staging", "d-stage", "2026-12-01T15:02:00.000Z", pulls(2, 1));
    await expect(notifier.notify(event)).rejects.toThrow(/1 of 2 PR comments for d-stage were not written \(the comment on whistlestop-demo\/donations#2 is held by another writer\)/);
    expect(api.commentsOf(1)).toHaveLength(1);
    expect(api.commentsOf(2)).toEqual([]);
    await time.advance(5 * 60_000);
    await notifier.notify(event);
    expect([api.commentsOf(1).length, api.commentsOf(2).length]).toEqual([1, 1]);
  });

  test("a 50-PR promotion writes a few comments at a time", async () => {
    await replica(2).notify(ended("prod", "d-prod", "2026-12-01T16:40:00.000Z", pulls(...Array.from({ length: 50 }, (_, i) => i + 1))));
    expect(api.calls.filter((c) => c.method === "create")).toHaveLength(50);
    expect(api.maxInFlight).toBe(2);
  });

  test("a rollback notes on the existing comments that the PRs left; a PR without a comment gets none", async () => {
    const notifier = replica();
    await notifier.notify(ended("prod", "d-prod", "2026-12-01T16:40:00.000Z", pulls(2, 1)));
    const back = ended("prod", "d-back", "2026-12-01T17:10:00.000Z", pulls(3, 2, 1), { rollbackOf: "d-prod", changeSet: changeSetFixture({ direction: "takes_out", allPulls: pulls(3, 2, 1) }) });
    await notifier.notify(back);
    expect(api.calls.map((c) => c.method)).toEqual(["create", "create", "update", "update"]);
    expect(api.bodyOf(api.commentsOf(1)[0]!)).toContain("↩️ Rolled back from **prod** at 12:10 EST (deploy `d-back`): not live there now.");
    expect(api.commentsOf(3)).toEqual([]);
  });

  test("failed and running deploys, and services without notify_prs, write nothing", async () => {
    const notifier = replica();
    await notifier.notify({ ...ended("prod", "d-1", "2026-12-01T16:40:00.000Z", pulls(1)), deploy: { ...ended("prod", "d-1", "x", pulls(1)).deploy, state: "failed" } });
    await notifier.notify({ ...ended("prod", "d-2", "2026-12-01T16:40:00.000Z", pulls(1)), deploy: { ...ended("prod", "d-2", "x", pulls(1)).deploy, state: "running" } });
    await notifier.notify(ended("prod", "d-3", "2026-12-01T16:40:00.000Z", pulls(1), { service: "events" }));
    expect(api.calls).toEqual([]);
  });

  test("a PR GitHub refuses is logged and skipped; a call that kept failing throws, and the report sent again writes only what is missing", async () => {
    api.failures.set(2, [httpError(404)]);
    api.failures.set(3, [httpError(502)]);
    const notifier = replica();
    const event = ended("staging", "d-stage", "2026-12-01T15:02:00.000Z", pulls(3, 2, 1));
    await expect(notifier.notify(event)).rejects.toThrow(/1 of 3 PR comments for d-stage were not written \(GitHub answered 502/);
    expect(logger.messages("warn")).toEqual(["could not write a PR's shipped comment; it is tried again later", "GitHub will not take the PR's shipped comment; it is skipped"]);
    expect(api.calls.map((c) => c.method)).toEqual(["create"]);
    await notifier.notify(event);
    expect([1, 2, 3].map((pr) => api.commentsOf(pr).length)).toEqual([1, 1, 1]);
    await notifier.notify(event);
    expect(api.calls).toHaveLength(3);
  });
});
