import { parseCommand, parseCommandUnguarded } from "../../src/core/commands/parse-command.js";
import { type Case, api, github, runCase, slack } from "./parse-command-fixtures.js";

const lock = (until: string | undefined, reason?: string, service = "donations", env = "prod") => ({
  command: { verb: "lock" as const, service, env, ...(until ? { until } : {}), ...(reason ? { reason } : {}) },
});
/** Contexts at other instants, all in America/New_York. */
const at = (iso: string) => api({ now: new Date(iso) });

describe("lock: for <duration>", () => {
  // NOW is 2026-03-06T15:00Z (10:00 EST).
  const cases: Case[] = [
    ["lock donations prod for 90m", api(), lock("2026-03-06T16:30:00.000Z")],
    ["lock donations prod for 2h", api(), lock("2026-03-06T17:00:00.000Z")],
    ["lock donations prod for 1d", api(), lock("2026-03-07T15:00:00.000Z")],
    ["lock donations prod for 1h30m", api(), lock("2026-03-06T16:30:00.000Z")],
    ["lock donations prod FOR 2H", api(), lock("2026-03-06T17:00:00.000Z")],
    ["lock donations prod 2h", api(), lock("2026-03-06T17:00:00.000Z")],
    ["lock donations prod for 2h debate prep", api(), lock("2026-03-06T17:00:00.000Z", "debate prep")],
    ["lock donations prod for 2h --reason “debate prep”", slack(), lock("2026-03-06T17:00:00.000Z", "debate prep")],
    ["lock --reason 'debate prep' all all for 2h", api(), lock("2026-03-06T17:00:00.000Z", "debate prep", "all", "all")],
    ["lock donations prod debate prep", api(), lock(undefined, "debate prep")],
    ['lock donations prod "for the record"', api(), lock(undefined, "for the record")],
    ["lock donations prod for", api(), { error: "bad_command", says: ['expected a duration like 90m, 2h or 1h30m after "for"'] }],
    ["lock donations prod for soon", api(), { error: "bad_command", says: ['"soon" is not a duration — expected a duration like 90m, 2h or 1h30m', "Usage: lock"] }],
    ["lock donations prod for 0m", api(), { error: "bad_command", says: ["is not a duration"] }],
    ["lock donations prod for 2h extra --reason x", api(), { error: "bad_command", says: ["give the reason once"] }],
    ["lock donations prod for 104000000d", api(), { error: "bad_command", says: ["too long"] }],
  ];
  it.each(cases)("%j", (...c) => runCase(c));
});

describe("lock: until <time> in America/New_York", () => {
  const cases: Case[] = [
    ["lock donations prod until 18:00", api(), lock("2026-03-06T23:00:00.000Z")],
    ["lock donations prod until 6pm", api(), lock("2026-03-06T23:00:00.000Z")],
    ["lock donations prod until 6:30PM", api(), lock("2026-03-06T23:30:00.000Z")],
    ["lock donations prod until 12am", api(), lock("2026-03-07T05:00:00.000Z")],
    // 09:00 has passed at 10:00, so it means tomorrow.
    ["lock donations prod until 09:00 standup", api(), lock("2026-03-07T14:00:00.000Z", "standup")],
    ["lock donations prod until 10:00", api(), lock("2026-03-07T15:00:00.000Z")],
    ["lock donations prod until 2026-03-07T12:00", api(), lock("2026-03-07T17:00:00.000Z")],
    ["lock donations prod until 2026-03-07 12:00 board meeting", api(), lock("2026-03-07T17:00:00.000Z", "board meeting")],
    ["lock donations prod until 2026-03-07", api(), lock("2026-03-07T05:00:00.000Z")],
    ["lock donations prod until 2026-03-07T12:00-08:00", api(), lock("2026-03-07T20:00:00.000Z")],
    ["lock donations prod until 2026-03-07T12:00Z", api(), lock("2026-03-07T12:00:00.000Z")],
    ["lock donations prod until 2026-03-07 12:00+01:00", api(), lock("2026-03-07T11:00:00.000Z")],
    ["/lock prod until 18:00 debate", github(), lock("2026-03-06T23:00:00.000Z", "debate")],
    ["lock donations prod until 2026-03-06T09:59", api(), { error: "bad_command", says: ['"2026-03-06T09:59" is already past (it is Fri Mar 6 10:00 EST) — give a later time'] }],
    ["lock donations prod until 2026-03-06T14:59Z", api(), { error: "bad_command", says: ["already past"] }],
    ["lock donations prod until 2026-03-06T10:00", api(), { error: "bad_command", says: ["already past"] }],
    ["lock donations prod until", api(), { error: "bad_command", says: ['expected a time like 18:00, 2026-11-03T20:00 or 2026-11-03T20:00-05:00 after "until"'] }],
    ["lock donations prod until tomorrow", api(), { error: "bad_command", says: ['"tomorrow" is not a time'] }],
    ["lock donations prod until 25:00", api(), { error: "bad_command", says: ["is not a time"] }],
    ["lock donations prod until 2026-02-30T10:00", api(), { error: "bad_command", says: ["is not a time"] }],
  ];
  it.each(cases)("%j", (...c) => runCase(c));
});

describe("lock: daylight saving days", () => {
  const cases: Case[] = [
    // Sat 7 Mar 10:00 EST; 09:00 tomorrow is already EDT (UTC-4).
    ["lock donations prod until 09:00", at("2026-03-07T15:00:00Z"), lock("2026-03-08T13:00:00.000Z")],
    // Sun 8 Mar 01:30 EST, before the switch at 02:00.
    ["lock donations prod until 03:30", at("2026-03-08T06:30:00Z"), lock("2026-03-08T07:30:00.000Z")],
    // 02:30 does not exist that night: it moves forward by the gap to 03:30 EDT.
    ["lock donations prod until 02:30", at("2026-03-08T06:30:00Z"), lock("2026-03-08T07:30:00.000Z")],
    ["lock donations prod for 2h", at("2026-03-08T06:30:00Z"), lock("2026-03-08T08:30:00.000Z")],
    ["lock donations prod until 2026-03-08T12:00", at("2026-03-08T06:30:00Z"), lock("2026-03-08T16:00:00.000Z")],
    // Sat 31 Oct 10:00 EDT; 09:00 on Sunday 1 Nov is EST (UTC-5).
    ["lock donations prod until 09:00", at("2026-10-31T14:00:00Z"), lock("2026-11-01T14:00:00.000Z")],
  ];
  it.each(cases)("%j", (...c) => runCase(c));
});

describe("lock and unlock scope", () => {
  const cases: Case[] = [
    ["lock all all", api(), lock(undefined, undefined, "all", "all")],
    ["lock ALL prod", api(), lock(undefined, undefined, "all", "prod")],
    ["unlock all staging --force", api(), { command: { verb: "unlock", service: "all", env: "staging", force: true } }],
    ["lock donatoins prod", api(), { error: "unknown_service", says: ['did you mean "donations"?', "Usage: lock <service|all>"] }],
    ["lock donations prdo for 2h", api(), { error: "unknown_environment", says: ['did you mean "prod"?'] }],
    ["unlock donations", api(), { error: "bad_command", says: ["missing the environment"] }],
    ["lock donations prod until the fix lands", api(), { error: "bad_command", says: ['"the" is not a time'] }],
  ];
  it.each(cases)("%j", (...c) => runCase(c));
});

it("answers an unknown time zone in the context with an error instead of throwing", () => {
  const result = parseCommand("lock donations prod until 18:00", api({ timezone: "Mars/Olympus_Mons" }));
  expect(result).toMatchObject({ kind: "reply", reply: { type: "error", reasonCode: "bad_command" } });
});

describe("the parser's guard", () => {
  test("a context the parser cannot work with (an unknown time zone) throws inside, and surfaces get a reply", () => {
    const broken = api({ timezone: "Not/AZone" });
    expect(() => parseCommandUnguarded("lock donations prod until 18:00", broken)).toThrow();
    expect(parseCommand("lock donations prod until 18:00", broken)).toEqual({
      kind: "reply",
      reply: { type: "error", reasonCode: "bad_command", message: "could not read that command — try help" },
    });
  });
});
