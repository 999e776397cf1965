import type { Decision, TurnDecision } from "../../../src/core/policies/decision.js";
import { decide, type TurnFacts } from "../../../src/core/policies/decide.js";
import type { PolicyInput } from "../../../src/core/policies/policy-input.js";
import { github, lock, makeConfig, NOW, policyInput, runningDeploy, SHA, target, window } from "./fixture.js";

const freeze = window({ name: "Election night", start: "2026-11-03T12:00", end: "2026-11-04T06:00", environments: ["prod"], reason: "Results night traffic" });
const config = makeConfig({ windows: [freeze] });
const alicesLock = lock({ owner: "alice", reason: "debate prep" });

/** Locked, frozen and not promoted at once. */
const blocked = (overrides: Partial<PolicyInput> = {}): PolicyInput =>
  policyInput({ config, locks: [alicesLock], shaSucceededInPromoteFrom: false, ...overrides });

const code = (d: Decision): string => (d.allowed ? "allowed" : d.reasonCode);

describe("decide, when a deploy is asked for", () => {
  it("allows a clear deploy", () => {
    expect(decide(policyInput())).toEqual({ allowed: true });
  });

  it.each<[string, Partial<PolicyInput> & { service?: string; env?: string }, string]>([
    ["permission comes first", { actor: github("mallory"), teams: new Set(), locks: [alicesLock] }, "permission_denied"],
    ["a locked and windowed target reports locked", { config, locks: [alicesLock], shaSucceededInPromoteFrom: false }, "locked"],
    ["windows before promotion", { config, shaSucceededInPromoteFrom: false }, "window_closed"],
    ["promotion", { shaSucceededInPromoteFrom: false }, "not_promoted"],
    ["staging has no promote_from", { service: "events", shaSucceededInPromoteFrom: false, env: "staging" }, "allowed"],
    ["busy with reject", { service: "events", running: runningDeploy() }, "busy"],
    ["queued with queue", { running: runningDeploy({ service: "donations" }) }, "allowed"],
    ["a rollback passes the deny window and promotion", { config, action: "rollback", shaSucceededInPromoteFrom: false }, "allowed"],
  ])("%s", (_case, overrides, expected) => {
    expect(code(decide(policyInput(overrides)))).toBe(expected);
  });

  describe("--force", () => {
    it("lets an admin with a reason pass locks, windows and promotion, listing each", () => {
      const decision = decide(blocked({ actor: github("sam"), force: true, forceReason: "hotfix for donation form" }));
      expect(decision.allowed).toBe(true);
      expect(decision.allowed && decision.forcedPast?.map((d) => d.reasonCode)).toEqual(["locked", "window_closed", "not_promoted"]);
    });

    it("an admin forcing with nothing in the way passes nothing", () => {
      expect(decide(policyInput({ actor: github("sam"), force: true, forceReason: "why not" }))).toEqual({ allowed: true });
    });

    it.each([undefined, "", "   "])("an admin without a reason (%p) is asked for one", (forceReason) => {
      const decision = decide(blocked({ actor: github("sam"), force: true, forceReason }));
      expect(decision).toMatchObject({ allowed: false, reasonCode: "bad_command" });
      expect(!decision.allowed && decision.message).toMatch(/^--force needs --reason "why"/);
    });

    it("a non-admin gets the original refusal and a note that only admins can force", () => {
      const decision = decide(blocked({ force: true, forceReason: "please" }));
      expect(decision).toMatchObject({ allowed: false, reasonCode: "locked" });
      expect(!decision.allowed && decision.message).toMatch(/^donations\/prod is locked by alice.*--force was ignored: only admins \(@hfa\/sre, sam\) can force\.\)$/);
    });

    it("never passes permission", () => {
      const cfg = makeConfig({ admins: ["sam"] });
      const decision = decide(policyInput({ config: cfg, env: "staging", actor: github("sam"), repoPermission: "read", force: true, forceReason: "x" }));
      expect(code(decision)).toBe("permission_denied");
    });

    it("never passes busy", () => {
      const decision = decide(policyInput({ service: "events", actor: github("sam"), running: runningDeploy(), force: true, forceReason: "x", locks: [lock({ owner: "alice", service: "events" })] }));
      expect(code(decision)).toBe("busy");
    });
  });
});

describe("decide, when a queued deploy's turn comes", () => {
  const turn = (overrides: Partial<TurnFacts> & { service?: string; env?: string } = {}): TurnFacts => {
    const { service = "donations", env = "prod", ...rest } = overrides;
    const cfg = rest.config ?? config;
    return {
      moment: "turn",
      now: NOW,
      config: cfg,
      target: target(cfg, service, env),
      action: "deploy",
      locks: [],
      sha: SHA,
      shaSucceededInPromoteFrom: true,
      ownerKey: "login:dana",
      forced: false,
      ...rest,
    };
  };
  const verdict = (d: TurnDecision): string => (d.allowed ? "go" : d.wait ? `wait:${d.reasonCode}` : `drop:${d.reasonCode}`);
  const beforeTheWindow = new Date("2026-11-03T16:00:00Z");

  it.each<[string, Partial<TurnFacts> & { service?: string; env?: string }, string]>([
    ["nothing in the way", { now: beforeTheWindow }, "go"],
    ["a lock someone else took meanwhile drops it", { now: beforeTheWindow, locks: [alicesLock] }, "drop:locked"],
    ["the lock's owner's own deploy goes on", { now: beforeTheWindow, locks: [alicesLock], ownerKey: "login:alice" }, "go"],
    ["an open deny window makes it wait", {}, "wait:window_closed"],
    ["a lock outranks a window: it is dropped, not held", { locks: [alicesLock] }, "drop:locked"],
    ["a sha no longer promoted drops it", { now: beforeTheWindow, shaSucceededInPromoteFrom: false }, "drop:not_promoted"],
    ["an unknown promotion answer drops it (fail closed)", { now: beforeTheWindow, shaSucceededInPromoteFrom: undefined }, "drop:not_promoted"],
    ["a rollback passes the deny window and promotion", { action: "rollback", shaSucceededInPromoteFrom: false }, "go"],
    ["a forced deploy passes everything", { locks: [alicesLock], shaSucceededInPromoteFrom: false, forced: true }, "go"],
    ["an allow window that is closed makes it wait", { config: makeConfig({ windows: [window({ name: "Business hours", kind: "allow", start: "2026-11-04T09:00", end: "2026-11-04T17:00" })] }), now: beforeTheWindow }, "wait:window_closed"],
  ])("%s", (_case, overrides, expected) => {
    expect(verdict(decide(turn(overrides)))).toBe(expected);
  });

  it("says why it waits and until when, in the configured time zone", () => {
    expect(decide(turn())).toEqual({
      allowed: false,
      wait: true,
      reasonCode: "window_closed",
      message: "waiting for a critical window to end until Wed Nov 4 06:00 EST",
      until: "2026-11-04T11:00:00.000Z",
    });
  });

  it("says a drop is a drop from the queue, with the policy's own words", () => {
    const decision = decide(turn({ now: beforeTheWindow, locks: [alicesLock] }));
    expect(!decision.allowed && decision.message).toMatch(/^dropped from the queue: donations\/prod is locked by alice/);
  });
});
