import { activeFreezes } from "../../../src/core/policies/active-freezes.js";
import { windowStatus } from "../../../src/core/policies/window-status.js";
import { lock, makeConfig, NOW, window } from "./fixture.js";

const HOUR = 3_600_000;
const election = window({ name: "Election night", start: "2026-11-03T12:00", end: "2026-11-04T06:00", environments: ["prod"], reason: "Results night traffic" });
const debates = window({ name: "Debate nights", cron: "0 22 * * *", durationMs: 4 * HOUR });
const launch = window({ name: "Launch slot", kind: "allow", start: "2026-10-01T09:00", end: "2026-10-01T10:00", environments: ["staging"] });

describe("windowStatus", () => {
  const config = makeConfig({ windows: [election, debates, launch] });

  it("lists every window with its open or next occurrence", () => {
    expect(windowStatus(config, NOW)).toEqual([
      {
        name: "Election night",
        kind: "deny",
        open: true,
        start: "2026-11-03T17:00:00.000Z",
        end: "2026-11-04T11:00:00.000Z",
        reason: "Results night traffic",
        environments: ["prod"],
        services: [],
        allowRollback: true,
        summary: "open until Wed Nov 4 06:00 EST",
      },
      {
        name: "Debate nights",
        kind: "deny",
        open: false,
        start: "2026-11-04T03:00:00.000Z",
        end: "2026-11-04T07:00:00.000Z",
        environments: [],
        services: [],
        allowRollback: true,
        summary: "next 22:00 EST → Wed Nov 4 02:00 EST",
      },
      {
        name: "Launch slot",
        kind: "allow",
        open: false,
        environments: ["staging"],
        services: [],
        allowRollback: true,
        summary: "never opens again",
      },
    ]);
  });

  it.each([
    ["prod", ["Election night", "Debate nights"]],
    ["staging", ["Debate nights", "Launch slot"]],
  ])("filters by environment %s", (env, names) => {
    expect(windowStatus(config, NOW, env).map((w) => w.name)).toEqual(names);
  });
});

describe("activeFreezes", () => {
  const freezes = (windows = [election], locks = [lock({ owner: "alice" })], at = NOW) => activeFreezes(makeConfig({ windows }), locks, at);

  it("covers only targets with enforce_in_pipeline, with pipeline and deploy stage", () => {
    expect(freezes([], []).map((f) => [f.service, f.env, f.pipeline, f.deployStage, f.frozen])).toEqual([
      ["donations", "prod", "donations-production", "Deploy", false],
      ["events", "prod", "events-prod", "Deploy", false],
      ["email-sender", "prod", "email-sender-prod", "Deploy", false],
    ]);
  });

  it("freezes while a deny window is open, naming it", () => {
    const donations = freezes()[0];
    expect(donations).toMatchObject({ frozen: true, reason: 'Whistlestop freeze: window "Election night" (Results night traffic)' });
  });

  it("an exact lock does not freeze the pipeline; an all-scoped lock does", () => {
    const after = new Date("2026-11-04T12:00:00Z");
    expect(freezes([election], [lock({ owner: "alice" })], after).every((f) => !f.frozen)).toBe(true);
    const all = freezes([election], [lock({ owner: "alice", service: "all", reason: "incident" })], after);
    expect(all.map((f) => f.frozen)).toEqual([true, true, true]);
    expect(all[0]?.reason).toBe("Whistlestop freeze: lock all/prod by alice (incident)");
  });

  it("names every cause, and ignores allow windows and expired locks", () => {
    const allow = window({ name: "Hours", kind: "allow", start: "2026-10-01T09:00", end: "2026-10-01T10:00" });
    const expired = lock({ owner: "bob", service: "all", env: "all", expiresAt: "2026-11-03T19:00:00Z" });
    const states = freezes([election, allow], [lock({ owner: "alice", service: "donations", env: "all" }), expired]);
    expect(states[0]?.reason).toBe('Whistlestop freeze: window "Election night" (Results night traffic); lock donations/all by alice');
    expect(freezes([allow], [expired]).every((f) => !f.frozen)).toBe(true);
  });
});
