import { ReminderDuty } from "../../src/app/reminder-duty.js";
import type { RoundReport } from "../../src/core/reminders/reminder-round.js";
import { FakeTime } from "../kit/fake-time.js";
import { RecordingLogger } from "../kit/recording-logger.js";

/** The duty's timing: a round now, the next at the moment the round names, never later than a minute. */
describe("reminder duty", () => {
  function setUp(answer: (now: Date) => RoundReport | Error) {
    const time = new FakeTime("2026-11-03T22:00:00Z");
    const logger = new RecordingLogger();
    const rounds: string[] = [];
    const duty = new ReminderDuty({
      round: async (now) => {
        rounds.push(now.toISOString());
        const result = answer(now);
        if (result instanceof Error) throw result;
        return result;
      },
      timers: time,
      now: () => time.clock.now(),
      logger,
    });
    return { time, logger, rounds, duty };
  }

  test("wakes exactly at the next moment due, and at least every minute", async () => {
    const { time, rounds, duty } = setUp((now) => ({ sent: 0, next: new Date(Math.max(now.getTime() + 1, Date.parse("2026-11-03T22:00:30Z"))) }));
    duty.start();
    await duty.idle();
    expect(time.dueTimes()).toEqual([time.at("2026-11-03T22:00:30Z")]);
    await time.advance(29_999);
    expect(rounds).toEqual(["2026-11-03T22:00:00.000Z"]);
    await time.advance(1);
    await duty.idle();
    expect(rounds).toEqual(["2026-11-03T22:00:00.000Z", "2026-11-03T22:00:30.000Z"]);
    expect(time.dueTimes()).toEqual([time.at("2026-11-03T22:00:30Z") + 1]);

    const quiet = setUp(() => ({ sent: 0 }));
    quiet.duty.start();
    await quiet.duty.idle();
    expect(quiet.time.dueTimes()).toEqual([60_000]);
    await quiet.duty.stop();
    expect(quiet.time.dueTimes()).toEqual([]);
    await duty.stop();
  });

  test("a round that fails is logged and the next comes a minute later; stop waits for a round under way", async () => {
    let fail = true;
    const { time, logger, rounds, duty } = setUp(() => (fail ? new Error("store down") : { sent: 2 }));
    duty.start();
    await duty.idle();
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: "warn", msg: "reminders: a round failed; the next one tries again" }));
    expect(time.dueTimes()).toEqual([60_000]);
    fail = false;
    await time.advance(60_000);
    await duty.stop();
    expect(rounds).toHaveLength(2);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: "info", msg: "reminders: sent", sent: 2 }));
    expect(time.dueTimes()).toEqual([]);
  });
});
