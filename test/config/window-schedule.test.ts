import fc from "fast-check";
import { Cron } from "croner";
import { buildWindowSchedule } from "../../src/config/window-schedule.js";
import type { Interval } from "../../src/core/model/config.js";

const NY = "America/New_York";
const HOUR = 3_600_000;
const iso = (text: string): Date => new Date(text);
const show = (i: Interval | null): [string, string] | null => (i ? [i.start.toISOString(), i.end.toISOString()] : null);

describe("recurring debate-night window (0 20 * * 1-5, 4h, New York) spanning midnight", () => {
  const debates = buildWindowSchedule({ cron: "0 20 * * 1-5", durationMs: 4 * HOUR, timezone: NY });
  // Thu 2026-10-15 20:00 EDT = 2026-10-16T00:00Z, until Fri 00:00 EDT = 04:00Z.
  const thursday: [string, string] = ["2026-10-16T00:00:00.000Z", "2026-10-16T04:00:00.000Z"];
  const friday: [string, string] = ["2026-10-17T00:00:00.000Z", "2026-10-17T04:00:00.000Z"];
  const monday: [string, string] = ["2026-10-20T00:00:00.000Z", "2026-10-20T04:00:00.000Z"];

  it.each([
    ["Thu 19:59 local, before start", "2026-10-15T23:59:00Z", null],
    ["Thu 20:00 local, exactly at start", "2026-10-16T00:00:00Z", thursday],
    ["Thu 23:59:59 local, just before midnight", "2026-10-16T03:59:59Z", thursday],
    ["Fri 00:00 local, end is exclusive", "2026-10-16T04:00:00Z", null],
    ["Fri 22:00 local", "2026-10-17T02:00:00Z", friday],
    ["Sat 21:00 local, no weekend debates", "2026-10-18T01:00:00Z", null],
    ["Mon 23:30 local, after midnight UTC", "2026-10-20T03:30:00Z", monday],
  ])("openAt %s", (_label, at, expected) => {
    expect(show(debates.openAt(iso(at)))).toEqual(expected);
  });

  it.each([
    ["Fri 23:00 local, inside Friday's window", "2026-10-17T03:00:00Z", monday],
    ["Sat noon local", "2026-10-17T16:00:00Z", monday],
    ["Sun 21:00 local", "2026-10-19T01:00:00Z", monday],
    ["exactly at Thursday's start: strictly after", "2026-10-16T00:00:00Z", friday],
    ["a millisecond before Thursday's start", "2026-10-15T23:59:59.999Z", thursday],
  ])("nextAfter %s (across the weekend)", (_label, at, expected) => {
    expect(show(debates.nextAfter(iso(at)))).toEqual(expected);
  });
});

describe("windows across DST changes in New York", () => {
  const nightly = buildWindowSchedule({ cron: "30 1 * * *", durationMs: 2 * HOUR, timezone: NY });
  // Fall back 2026-11-01: 01:30 EDT = 05:30Z; two hours of real time later it is 02:30 EST = 07:30Z.
  const fallBack: [string, string] = ["2026-11-01T05:30:00.000Z", "2026-11-01T07:30:00.000Z"];
  // Spring forward 2026-03-08: 01:30 EST = 06:30Z; ends 08:30Z = 04:30 EDT.
  const springForward: [string, string] = ["2026-03-08T06:30:00.000Z", "2026-03-08T08:30:00.000Z"];

  it.each([
    ["fall back: first 01:45 (EDT)", "2026-11-01T05:45:00Z", fallBack],
    ["fall back: repeated 01:15 (EST)", "2026-11-01T06:15:00Z", fallBack],
    ["fall back: 02:29 EST", "2026-11-01T07:29:00Z", fallBack],
    ["fall back: 02:30 EST, over", "2026-11-01T07:30:00Z", null],
    ["spring forward: 01:59 EST", "2026-03-08T06:59:00Z", springForward],
    ["spring forward: 04:29 EDT", "2026-03-08T08:29:00Z", springForward],
    ["spring forward: 04:30 EDT, over", "2026-03-08T08:30:00Z", null],
  ])("cron 01:30 local for 2h: openAt %s", (_label, at, expected) => {
    expect(show(nightly.openAt(iso(at)))).toEqual(expected);
  });

  it.each([
    ["inside the repeated hour after the day's start", "2026-11-01T06:15:00Z", ["2026-11-02T06:30:00.000Z", "2026-11-02T08:30:00.000Z"]],
    ["the evening before fall back", "2026-11-01T00:00:00Z", fallBack],
    ["the evening before spring forward", "2026-03-08T01:00:00Z", springForward],
  ])("cron 01:30 local for 2h: nextAfter %s", (_label, at, expected) => {
    expect(show(nightly.nextAfter(iso(at)))).toEqual(expected);
  });

  it("a one-off 00:00 → 04:00 local on fall-back day lasts 5 hours of real time", () => {
    const night = buildWindowSchedule({ start: "2026-11-01T00:00", end: "2026-11-01T04:00", timezone: NY });
    const open = night.openAt(iso("2026-11-01T08:30:00Z"));
    expect(show(open)).toEqual(["2026-11-01T04:00:00.000Z", "2026-11-01T09:00:00.000Z"]);
    expect(open!.end.getTime() - open!.start.getTime()).toBe(5 * HOUR);
  });

  it("a one-off 00:00 → 04:00 local on spring-forward day lasts 3 hours of real time", () => {
    const night = buildWindowSchedule({ start: "2026-03-08T00:00", end: "2026-03-08T04:00", timezone: NY });
    expect(show(night.nextAfter(iso("2026-03-07T00:00:00Z")))).toEqual(["2026-03-08T05:00:00.000Z", "2026-03-08T08:00:00.000Z"]);
  });
});

describe("one-off windows", () => {
  const electionNight = buildWindowSchedule({ start: "2026-11-03T18:00", end: "2026-11-04T06:00", timezone: NY });

  it.each([
    ["before", "2026-11-03T22:59:59Z", null, ["2026-11-03T23:00:00.000Z", "2026-11-04T11:00:00.000Z"]],
    ["at start", "2026-11-03T23:00:00Z", ["2026-11-03T23:00:00.000Z", "2026-11-04T11:00:00.000Z"], null],
    ["at end", "2026-11-04T11:00:00Z", null, null],
  ])("%s", (_label, at, open, next) => {
    expect(show(electionNight.openAt(iso(at)))).toEqual(open);
    expect(show(electionNight.nextAfter(iso(at)))).toEqual(next);
  });

  it("honours an explicit offset over the zone", () => {
    const s = buildWindowSchedule({ start: "2026-11-03T18:00-05:00", end: "2026-11-04T06:00Z", timezone: "Asia/Tokyo" });
    expect(show(s.nextAfter(iso("2026-01-01T00:00:00Z")))).toEqual(["2026-11-03T23:00:00.000Z", "2026-11-04T06:00:00.000Z"]);
  });
});

describe("overlapping and degenerate recurring windows", () => {
  it("picks the occurrence ending last when occurrences overlap", () => {
    const s = buildWindowSchedule({ cron: "*/5 * * * *", durationMs: 24 * HOUR, timezone: "UTC" });
    expect(show(s.openAt(iso("2026-05-05T10:07:30Z")))).toEqual(["2026-05-05T10:05:00.000Z", "2026-05-06T10:05:00.000Z"]);
    expect(show(s.openAt(iso("2026-05-05T10:05:00Z")))).toEqual(["2026-05-05T10:05:00.000Z", "2026-05-06T10:05:00.000Z"]);
  });

  it("returns null for a pattern that never fires", () => {
    const never = buildWindowSchedule({ cron: "0 0 30 2 *", durationMs: HOUR, timezone: "UTC" });
    expect(never.openAt(iso("2026-02-28T00:00:00Z"))).toBeNull();
    expect(never.nextAfter(iso("2026-02-28T00:00:00Z"))).toBeNull();
  });

  it.each([
    [{ timezone: "UTC" }, /needs start and end, or cron and duration/],
    [{ start: "2026-01-01T00:00", end: "2026-01-02T00:00", cron: "0 0 * * *", durationMs: HOUR, timezone: "UTC" }, /not both/],
    [{ start: "2026-01-02T00:00", end: "2026-01-01T00:00", timezone: "UTC" }, /not after start/],
    [{ start: "tomorrow", end: "2026-01-01T00:00", timezone: "UTC" }, /ISO 8601/],
    [{ cron: "0 25 * * *", durationMs: HOUR, timezone: "UTC" }, /not a valid cron/],
    [{ cron: "0 0 * * *", timezone: "UTC" }, /positive duration/],
    [{ cron: "0 0 * * *", durationMs: HOUR, timezone: "Mars/Olympus" }, /unknown time zone/],
  ])("rejects %j", (spec, message) => {
    expect(() => buildWindowSchedule(spec)).toThrow(message);
  });
});

describe("agrees with enumerating every start (property)", () => {
  const patterns = ["0 20 * * 1-5", "30 1 * * *", "*/20 * * * *", "0 9 1 * *", "15 2 * * 0"];
  const zones = [NY, "Europe/London", "UTC", "Australia/Lord_Howe"];
  const from = Date.parse("2026-01-01T00:00:00Z");
  const to = Date.parse("2027-01-01T00:00:00Z");

  it("openAt returns the latest start <= t whose occurrence contains t", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...patterns),
        fc.constantFrom(...zones),
        fc.integer({ min: 1, max: 48 * 60 }),
        fc.integer({ min: from, max: to }),
        (pattern, timezone, minutes, t) => {
          const durationMs = minutes * 60_000;
          const schedule = buildWindowSchedule({ cron: pattern, durationMs, timezone });
          // Reference: walk every start from t - duration forward.
          const cron = new Cron(pattern, { timezone });
          let expected: number | null = null;
          let cursor = t - durationMs;
          for (;;) {
            const next = cron.nextRun(new Date(cursor));
            if (!next) break;
            const n = next.getTime();
            if (n <= cursor) { cursor += 60_000; continue; }
            if (n > t) break;
            expected = n;
            cursor = n;
          }
          const open = schedule.openAt(new Date(t));
          expect(open?.start.getTime() ?? null).toBe(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
