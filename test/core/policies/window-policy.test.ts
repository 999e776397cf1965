import type { WindowConfig } from "../../../src/core/model/config.js";
import type { PolicyAction } from "../../../src/core/policies/policy-input.js";
import { globMatches } from "../../../src/core/policies/window-covers.js";
import { windowPolicy } from "../../../src/core/policies/window-policy.js";
import { makeConfig, policyInput, window } from "./fixture.js";

const HOUR = 3_600_000;

function check(windows: WindowConfig[], at: string, opts: { service?: string; env?: string; action?: PolicyAction } = {}) {
  const config = makeConfig({ windows });
  return windowPolicy(policyInput({ config, now: new Date(at), service: opts.service, env: opts.env, action: opts.action ?? "deploy" }));
}

describe("windowPolicy: deny windows", () => {
  // Fall back in New York: 02:00 EDT (06:00Z) becomes 01:00 EST on Nov 1 2026.
  const dstNight = window({ name: "Maintenance", start: "2026-11-01T00:00", end: "2026-11-01T04:00", reason: "DB upgrade" });

  it.each([
    ["before it starts (23:59 EDT)", "2026-11-01T03:59:00Z", true],
    ["at its start (00:00 EDT)", "2026-11-01T04:00:00Z", false],
    ["01:30 EDT, before the fall-back", "2026-11-01T05:30:00Z", false],
    ["01:30 EST, after the fall-back", "2026-11-01T06:30:00Z", false],
    ["03:59 EST", "2026-11-01T08:59:00Z", false],
    ["04:00 EST, its end", "2026-11-01T09:00:00Z", true],
  ])("a one-off window across the DST change, %s", (_case, at, allowed) => {
    expect(check([dstNight], at).allowed).toBe(allowed);
  });

  it("says when a window across the DST change ends, in wall-clock time", () => {
    expect(check([dstNight], "2026-11-01T05:30:00Z")).toEqual({
      allowed: false,
      reasonCode: "window_closed",
      message:
        'donations/prod is frozen by the window "Maintenance" (DB upgrade) until 04:00 EST. ' +
        'Deploy after it ends, or, if you are an admin, add --force --reason "…". Rollbacks are still allowed.',
      until: "2026-11-01T09:00:00.000Z",
    });
  });

  const debates = window({ name: "Debate nights", cron: "0 22 * * *", durationMs: 4 * HOUR, reason: "Debate traffic", environments: ["prod"] });

  it.each([
    ["21:59 the evening before", "2026-11-04T02:59:00Z", true],
    ["22:00", "2026-11-04T03:00:00Z", false],
    ["01:30 the next day, past midnight", "2026-11-04T06:30:00Z", false],
    ["02:01 the next day", "2026-11-04T07:01:00Z", true],
  ])("a recurring window spanning midnight, %s", (_case, at, allowed) => {
    expect(check([debates], at).allowed).toBe(allowed);
  });

  it("reports the end of the occurrence open past midnight", () => {
    const decision = check([debates], "2026-11-04T06:30:00Z");
    expect(decision).toMatchObject({ reasonCode: "window_closed", until: "2026-11-04T07:00:00.000Z" });
    expect(!decision.allowed && decision.message).toContain('"Debate nights" (Debate traffic) until 02:00 EST');
  });

  it.each<[string, boolean, PolicyAction, boolean]>([
    ["rollback, allow_rollback true", true, "rollback", true],
    ["rollback, allow_rollback false", false, "rollback", false],
    ["deploy, allow_rollback true", true, "deploy", false],
  ])("%s", (_case, allowRollback, action, allowed) => {
    const freeze = window({ name: "Freeze", start: "2026-11-03T00:00", end: "2026-11-04T00:00", allowRollback });
    expect(check([freeze], "2026-11-03T19:30:00Z", { action }).allowed).toBe(allowed);
  });

  it("names the open deny window that ends last", () => {
    const short = window({ name: "Short", start: "2026-11-03T14:00", end: "2026-11-03T15:00" });
    const long = window({ name: "Long", start: "2026-11-03T12:00", end: "2026-11-03T20:00" });
    const decision = check([short, long], "2026-11-03T19:30:00Z");
    expect(decision).toMatchObject({ until: "2026-11-04T01:00:00.000Z" });
    expect(!decision.allowed && decision.message).toContain('"Long"');
  });
});

describe("windowPolicy: which targets a window covers", () => {
  const today = { start: "2026-11-03T00:00", end: "2026-11-04T00:00" };
  it.each([
    ["no filters: everything", {}, "donations", "staging", false],
    ["env filter matches", { environments: ["prod"] }, "donations", "prod", false],
    ["env filter excludes staging", { environments: ["prod"] }, "donations", "staging", true],
    ["glob don*", { services: ["don*"] }, "donations", "prod", false],
    ["glob ev?nts", { services: ["ev?nts"] }, "events", "prod", false],
    ["glob ev?nts does not match email-sender", { services: ["ev?nts"] }, "email-sender", "prod", true],
    ["several globs", { services: ["x*", "email-*"] }, "email-sender", "staging", false],
    ["a glob must match the whole name", { services: ["donation"] }, "donations", "prod", true],
  ])("%s", (_case, filters, service, env, allowed) => {
    expect(check([window({ name: "W", ...today, ...filters })], "2026-11-03T19:30:00Z", { service, env }).allowed).toBe(allowed);
  });

  it.each([
    ["*", "anything", true],
    ["a.b", "a.b", true],
    ["a.b", "axb", false],
    ["svc-?", "svc-1", true],
    ["svc-?", "svc-12", false],
  ])("globMatches(%s, %s)", (pattern, name, expected) => {
    expect(globMatches(pattern, name)).toBe(expected);
  });
});

describe("windowPolicy: allow windows", () => {
  // Weekdays 09:00–17:00 New York.
  const businessHours = window({ name: "Business hours", kind: "allow", cron: "0 9 * * 1-5", durationMs: 8 * HOUR, services: ["email-*"], reason: "staffed hours" });

  it("allows while one is open", () => {
    expect(check([businessHours], "2026-11-03T19:30:00Z", { service: "email-sender" }).allowed).toBe(true);
  });

  it("refuses outside them and says when the next one opens", () => {
    // Saturday Nov 7, 12:00 EST → Monday 09:00 EST.
    const decision = check([businessHours], "2026-11-07T17:00:00Z", { service: "email-sender" });
    expect(decision).toEqual({
      allowed: false,
      reasonCode: "window_closed",
      message:
        'email-sender/prod may only be deployed during "Business hours", and none is open now; "Business hours" (staffed hours) ' +
        'next opens Mon Nov 9 09:00 EST. Deploy then, or, if you are an admin, add --force --reason "…".',
      until: "2026-11-09T14:00:00.000Z",
    });
  });

  it("does not apply to targets it does not cover", () => {
    expect(check([businessHours], "2026-11-07T17:00:00Z", { service: "donations" }).allowed).toBe(true);
  });

  it("picks the soonest of several allow windows", () => {
    const sunday = window({ name: "Sunday slot", kind: "allow", start: "2026-11-08T10:00", end: "2026-11-08T11:00", services: ["email-*"] });
    const decision = check([businessHours, sunday], "2026-11-07T17:00:00Z", { service: "email-sender" });
    expect(decision).toMatchObject({ until: "2026-11-08T15:00:00.000Z" });
    expect(!decision.allowed && decision.message).toContain('during "Business hours", "Sunday slot", and none is open now; "Sunday slot" next opens Sun Nov 8 10:00 EST');
  });

  it("says so when no allow window ever opens again", () => {
    const past = window({ name: "Launch slot", kind: "allow", start: "2026-10-01T09:00", end: "2026-10-01T10:00" });
    const decision = check([past], "2026-11-03T19:30:00Z");
    expect(decision).toMatchObject({ allowed: false, reasonCode: "window_closed" });
    expect(decision).not.toHaveProperty("until");
    expect(!decision.allowed && decision.message).toContain('during "Launch slot", and none of them opens again');
  });

  it("deny wins over an open allow window", () => {
    const freeze = window({ name: "Election night", start: "2026-11-03T12:00", end: "2026-11-04T06:00", reason: "Results night traffic" });
    const decision = check([businessHours, freeze], "2026-11-03T19:30:00Z", { service: "email-sender" });
    expect(decision).toMatchObject({ reasonCode: "window_closed", until: "2026-11-04T11:00:00.000Z" });
    expect(!decision.allowed && decision.message).toContain('"Election night" (Results night traffic) until Wed Nov 4 06:00 EST');
  });

  it("rollbacks pass deny windows but not closed allow windows", () => {
    expect(check([businessHours], "2026-11-07T17:00:00Z", { service: "email-sender", action: "rollback" }).allowed).toBe(false);
  });
});
