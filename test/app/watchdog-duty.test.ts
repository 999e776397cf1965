import { WATCHDOG_INTERVAL_MS, WatchdogDuty } from "../../src/app/watchdog-duty.js";
import { FakeTime, flush } from "../kit/fake-time.js";
import { RecordingLogger } from "../kit/recording-logger.js";

describe("the watchdog duty", () => {
  test("checks once a minute on the replica's timers, logs a failed check and goes on, and stops for good", async () => {
    const time = new FakeTime();
    const logger = new RecordingLogger();
    let checks = 0;
    const duty = new WatchdogDuty({
      watchdog: {
        check: async () => {
          checks += 1;
          if (checks === 2) throw new Error("store down");
        },
      },
      timers: time,
      logger,
    });
    duty.start();
    await flush();
    expect(checks).toBe(0);
    await time.advance(WATCHDOG_INTERVAL_MS);
    expect(checks).toBe(1);
    await time.advance(WATCHDOG_INTERVAL_MS);
    await time.advance(WATCHDOG_INTERVAL_MS);
    expect(checks).toBe(3);
    expect(logger.messages("warn")).toEqual(["watchdog: the check failed; the next one tries again"]);
    await duty.stop();
    await time.advance(10 * WATCHDOG_INTERVAL_MS);
    expect(checks).toBe(3);
  });
});
