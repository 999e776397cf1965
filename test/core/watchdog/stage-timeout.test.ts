import { median, stageTimeout } from "../../../src/core/watchdog/stage-timeout.js";

const MIN = 60_000;

describe("a stage's timeout", () => {
  it.each([
    ["a configured timeout is used as it is, however short", 1 * MIN, [40 * MIN], { ms: 1 * MIN, source: "configured" }],
    ["no history: the 15-minute floor", undefined, [], { ms: 15 * MIN, source: "floor" }],
    ["a stage of seconds: the floor, not 3× its time", undefined, [20_000, 30_000], { ms: 15 * MIN, source: "floor" }],
    ["3× the median of the runs", undefined, [9 * MIN, 12 * MIN, 10 * MIN], { ms: 30 * MIN, source: "history" }],
    ["an even count takes the mean of the middle two", undefined, [6 * MIN, 8 * MIN, 10 * MIN, 100 * MIN], { ms: 27 * MIN, source: "history" }],
    ["one slow outlier does not move the median", undefined, [10 * MIN, 10 * MIN, 300 * MIN], { ms: 30 * MIN, source: "history" }],
  ])("%s", (_name, configured, history, expected) => {
    expect(stageTimeout(configured, history)).toEqual(expected);
  });

  it("median of nothing is undefined", () => {
    expect(median([])).toBeUndefined();
    expect(median([3, 1, 2])).toBe(2);
  });
});
