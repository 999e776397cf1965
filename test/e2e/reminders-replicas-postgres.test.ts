import { randomBytes } from "node:crypto";
import type pg from "pg";
import { openStore } from "../../src/adapters/store/open-store.js";
import type { Store } from "../../src/core/ports/store.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { FakeTime } from "../kit/fake-time.js";
import { waitFor } from "../kit/wait-for.js";
import { exampleConfigText, loadTestConfig } from "../kit/test-app.js";
import { FakeSlackApi, type SlackCall } from "../slack/fake-slack-api.js";
import { startSlackTestApp, USERS, type SlackTestApp } from "../slack/slack-test-app.js";
import { connectOrExplain, TEST_DATABASE_URL } from "../store/store-harness.js";

/** A nightly 20:00 New York window over four services' staging, two of which share a channel. */
const WINDOW = `windows:
  - name: Debate nights
    cron: "0 20 * * *"
    duration: 4h
    environments: [staging]
    services: [donations, email-signup, volunteer-signup, call-tool]
    reason: "Debate night traffic"

people:`;
const CHANNELS = ["C0DONATIONS", "C0SIGNUPS", "C0CALLTOOL", "C0DEPLOYS"];
const SHA = "0123456789abcdef0123456789abcdef01234567";

type Blocks = Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>;
const button = (call: SlackCall, actionId: string) => (call.args.blocks as Blocks).flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId)!;

/**
 * Two replicas (two real servers with the Slack surface, each with its own PostgreSQL pool) on one
 * schema, one fake Slack and one fake clock that starts on Saturday 2026-10-31, the day before
 * daylight saving time ends in New York. The reminder duties run on the fake clock's timers: the
 * test moves the clock to a second before each moment, checks both replicas armed themselves for
 * it exactly and nothing went out early, then to the moment, and counts what went out.
 */
describe("reminders across two replicas sharing PostgreSQL, through the DST change", () => {
  let admin: pg.Client;
  let schema: string;
  let emulator: RunningEmulator;
  let slack: FakeSlackApi;
  const time = new FakeTime("2026-10-31T18:00:00Z");
  const stores: Store[] = [];
  const apps: SlackTestApp[] = [];

  beforeAll(async () => {
    admin = await connectOrExplain(TEST_DATABASE_URL);
    schema = `ws_reminders_${process.pid}_${randomBytes(4).toString("hex")}`;
    const text = exampleConfigText();
    const config = loadTestConfig(text.slice(0, text.indexOf("windows:\n")) + WINDOW + text.slice(text.indexOf("people:") + "people:".length));
    emulator = await startEmulator({ pipelines: pipelinesFromConfig(config), scheduler: "manual", stepMs: 1000 });
    slack = await FakeSlackApi.start();
    for (let i = 0; i < 2; i++) {
      const store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 4 });
      stores.push(store);
      // Slack's signatures are checked against real time; everything else reads the fake clock.
      apps.push(await startSlackTestApp({ config, store, emulator, slack, clock: time.clock, scheduleTimers: time, surface: { now: () => Date.now() } }));
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const store of stores) await store.close();
    await slack?.close();
    await emulator?.close();
    await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  });

  const idle = () => Promise.all(apps.map((a) => a.app.reminders.idle()));
  /** Let both duties finish their rounds, firing any timer that fell due meanwhile. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 20; i++) {
      await idle();
      const due = time.dueTimes()[0];
      if (due === undefined || due > time.now()) return;
      await time.advance(0);
    }
  }
  async function moveTo(iso: string): Promise<void> {
    await time.set(iso);
    await settle();
  }
  const announcements = () => slack.of("chat.postMessage", (c) => CHANNELS.includes(String(c.args.channel)) && !c.args.thread_ts && /^[⏳⛔✅] Critical window/u.test(String(c.args.text)));
  const dms = () => slack.of("chat.postMessage", (c) => c.args.channel === USERS.jordan);
  const sent = () => [...announcements(), ...dms()];

  /** Up to a second before `iso`: nothing new, both replicas armed for `iso` exactly. Then `iso`: what went out. */
  async function atMoment(iso: string): Promise<SlackCall[]> {
    await moveTo(new Date(Date.parse(iso) - 1000).toISOString());
    const before = new Set(sent());
    expect(time.dueTimes()).toEqual([time.at(iso), time.at(iso)]);
    await moveTo(iso);
    return sent().filter((c) => !before.has(c));
  }
  const summary = (calls: SlackCall[]) => calls.map((c) => `${String(c.args.channel)} ${[...String(c.args.text)][0]}`).sort();
  const everyChannel = (mark: string) => CHANNELS.map((c) => `${c} ${mark}`).sort();

  test("a lock's owner gets one DM per period; Unlock and Extend 2h act through the usual checks", async () => {
    const [a, b] = apps as [SlackTestApp, SlackTestApp];
    await settle();
    for (const target of ["events staging", "call-tool staging"]) {
      const ack = await a.slash(USERS.jordan, "/lock", `${target} debate prep`, { channel: "C0OPS" });
      expect(String((await a.response(ack.responseUrl)).args.text)).toMatch(/^🔒 Locked/);
    }

    // 14:00 EDT + 4h: one DM per lock, from one replica or the other, never both.
    const first = await atMoment("2026-10-31T22:00:00Z");
    expect(first.map((c) => c.args.channel)).toEqual([USERS.jordan, USERS.jordan]);
    const reminder = (scope: string) => first.find((c) => String(c.args.text).includes(`lock on ${scope}`))!;
    expect(String(reminder("events/staging").args.text)).toBe(
      "⏰ Your lock on events/staging (debate prep) has been held for 4h, since 14:00 EDT. Others' deploys there are refused while it holds. It lasts until someone unlocks it. Still need it?",
    );
    const events = { unlock: button(reminder("events/staging"), "whistlestop_lock_unlock"), extend: button(reminder("events/staging"), "whistlestop_lock_extend") };
    const click = async (app: SlackTestApp, user: string, b2: { action_id?: string; value?: string }) => {
      const c = await app.click({ actionId: b2.action_id!, value: b2.value!, userId: user, channelId: USERS.jordan });
      return (await app.response(c.responseUrl)).args;
    };

    // Someone who may not unlock or extend it (a forwarded message, a forged click) is refused as if they typed it.
    const octocat = await click(a, USERS.octocat, events.unlock);
    expect(String(octocat.text)).toMatch(/^🚫 events\/staging is locked by jordan-payments .*Only jordan-payments or an admin .* can unlock it/s);
    expect(String(octocat.text)).toContain("_reason: `locked`_");
    expect(octocat.replace_original).toBeFalsy();
    const alex = await click(b, USERS.alex, events.extend);
    expect(String(alex.text)).toContain("_reason: `locked`_");
    const [lock] = (await a.store.listLocks(time.clock.now())).filter((l) => l.service === "events");
    expect(lock).toMatchObject({ owner: "jordan-payments", createdAt: "2026-10-31T18:00:00.000Z" });
    expect(lock!.expiresAt).toBeUndefined();

    // The owner: Extend keeps it two more hours, and the reminder is replaced by the answer.
    const extended = await click(b, USERS.jordan, events.extend);
    expect(extended).toMatchObject({ replace_original: true });
    expect(String(extended.text)).toBe("🔒 Lock extended: events/staging by jordan-payments until 20:00 EDT (debate prep). Others' deploys are refused; `unlock events staging` ends it.");
    expect((await a.store.listLocks(time.clock.now())).find((l) => l.service === "events")?.expiresAt).toBe("2026-11-01T00:00:00.000Z");
    const unlocked = await click(a, USERS.jordan, button(reminder("call-tool/staging"), "whistlestop_lock_unlock"));
    expect(unlocked).toMatchObject({ replace_original: true, text: "🔓 Unlocked call-tool/staging. Deploys may proceed." });
    expect((await a.store.listLocks(time.clock.now())).map((l) => l.service)).toEqual(["events"]);
  });

  test("a nightly window is announced 30 minutes before, at its start and at its end, in each channel once, at 20:00 local on both sides of the change; what it held starts in order at its end", async () => {
    const [a] = apps as [SlackTestApp, SlackTestApp];
    // Saturday Oct 31, EDT (UTC-4).
    const soon = await atMoment("2026-10-31T23:30:00Z");
    expect(summary(soon)).toEqual(everyChannel("⏳"));
    expect(String(soon[0]!.args.text)).toBe(
      "⏳ Critical window “Debate nights” (Debate night traffic) starts at 20:00 EDT, in 30m, until Sun Nov 1 00:00 EDT. " +
        "Deploys to staging of donations, email-signup, volunteer-signup, call-tool are refused while it is open; deploys already queued then wait for it to end.",
    );

    // Deploys queued behind running ones before the window opens wait for it to end.
    await moveTo("2026-10-31T23:40:00Z");
    const ask = async (text: string) => {
      const result = await a.command(text);
      await time.advance(1000);
      return result.deploy!;
    };
    const running = [await ask(`deploy donations staging ${SHA}`), await ask(`deploy email-signup staging ${SHA}`)];
    const queued = [await ask(`deploy donations staging ${SHA}`), await ask(`deploy donations staging ${SHA}`), await ask(`deploy email-signup staging ${SHA}`)];
    expect(running.map((d) => d.state)).toEqual(["running", "running"]);
    expect(queued.map((d) => d.state)).toEqual(["queued", "queued", "queued"]);

    expect(summary(await atMoment("2026-11-01T00:00:00Z"))).toEqual(everyChannel("⛔"));
    for (const deploy of running) expect((await a.runDeploy(deploy.id)).state).toBe("succeeded");
    // The end of a running deploy hands its slot to the queue's head, which the open window holds.
    for (const deploy of [queued[0]!, queued[2]!]) {
      const held = await waitFor("the queue's head to wait for the window", async () => ((await a.store.getDeploy(deploy.id))?.waitingReason ? a.store.getDeploy(deploy.id) : undefined));
      expect(held).toMatchObject({ state: "queued", waitingReason: expect.stringContaining("critical window") });
    }

    // The extended lock ran out at 00:00 and the other was unlocked: no reminder at 8h.
    await moveTo("2026-11-01T02:00:30Z");
    expect(dms()).toHaveLength(2);

    const ended = await atMoment("2026-11-01T04:00:00Z");
    expect(summary(ended)).toEqual(everyChannel("✅"));
    for (const call of ended) {
      expect(String(call.args.text)).toMatch(/has ended \(Sat Oct 31 20:00 EDT → Sun Nov 1 00:00 EDT\).*Starting the 3 deploys it held, in order:\n1\. donations\/staging deploy of `0123456` by api:ci\n2\. donations\/staging deploy of `0123456` by api:ci\n3\. email-signup\/staging deploy of `0123456` by api:ci$/s);
    }
    // Started at the end itself, oldest first; one at a time per service and environment.
    const state = async (i: number) => (await a.store.getDeploy(queued[i]!.id))!;
    expect((await state(0)).state).toBe("running");
    expect((await state(0)).startedAt).toBe("2026-11-01T04:00:00.000Z");
    expect((await state(2)).state).toBe("running");
    expect((await state(1)).state).toBe("queued");
    expect((await a.runDeploy(queued[0]!.id)).state).toBe("succeeded");
    expect((await a.runDeploy(queued[1]!.id)).state).toBe("succeeded");
    expect((await a.runDeploy(queued[2]!.id)).state).toBe("succeeded");
    const executionOf = async (id: string) => (await a.store.getDeploy(id))!.executionId;
    const inOrder = await Promise.all([running[0]!, queued[0]!, queued[1]!].map((d) => executionOf(d.id)));
    expect(emulator.emulator.executions("donations-staging").map((e) => e.id)).toEqual(inOrder);

    // Sunday Nov 1, EST (UTC-5): the same 19:30, 20:00 and 00:00 local are an hour later in UTC.
    const soonAfter = await atMoment("2026-11-02T00:30:00Z");
    expect(summary(soonAfter)).toEqual(everyChannel("⏳"));
    expect(String(soonAfter[0]!.args.text)).toContain("starts at 20:00 EST, in 30m, until Mon Nov 2 00:00 EST");
    expect(summary(await atMoment("2026-11-02T01:00:00Z"))).toEqual(everyChannel("⛔"));
    const endAfter = await atMoment("2026-11-02T05:00:00Z");
    expect(summary(endAfter)).toEqual(everyChannel("✅"));
    expect(String(endAfter[0]!.args.text)).toContain("No deploys were waiting for it.");

    // Six moments, four channels, two replicas: every announcement went out exactly once.
    await moveTo("2026-11-02T06:00:00Z");
    expect(announcements()).toHaveLength(6 * CHANNELS.length);
  });
});
