import type { Decision } from "../../../src/core/policies/decision.js";
import { evaluate } from "../../../src/core/policies/evaluate.js";
import type { PolicyInput } from "../../../src/core/policies/policy-input.js";
import { github, lock, makeConfig, policyInput, runningDeploy, window } from "./fixture.js";

const freeze = window({ name: "Election night", start: "2026-11-03T12:00", end: "2026-11-04T06:00", environments: ["prod"], reason: "Results night traffic" });
const config = makeConfig({ windows: [freeze] });
const alicesLock = lock({ owner: "alice", reason: "debate prep" });

/** Locked, frozen and not promoted at once. */
const blocked = (overrides: Partial<PolicyInput> = {}): PolicyInput =>
  policyInput({ config, locks: [alicesLock], shaSucceededInPromoteFrom: false, ...overrides });

const code = (d: Decision): string => (d.allowed ? "allowed" : d.reasonCode);

describe("evaluate", () => {
  it("allows a clear deploy", () => {
    expect(evaluate(policyInput())).toEqual({ allowed: true });
  });

  it.each<[string, Partial<PolicyInput> & { service?: string; env?: string }, string]>([
    ["permission comes first", { actor: github("mallory"), teams: new Set(), locks: [alicesLock] }, "permission_denied"],
    ["a locked and windowed target reports locked", { config, locks: [alicesLock], shaSucceededInPromoteFrom: false }, "locked"],
    ["windows before promotion", { config, shaSucceededInPromoteFrom: false }, "window_closed"],
    ["promotion", { shaSucceededInPromoteFrom: false }, "not_promoted"],
    ["staging has no promote_from", { service: "events", shaSucceededInPromoteFrom: false, env: "staging" }, "allowed"],
    ["busy with reject", { service: "events", running: runningDeploy() }, "busy"],
    ["queued with queue", { running: runningDeploy({ service: "donations" }), queueLength: 1 }, "allowed"],
    ["a rollback passes the deny window and promotion", { config, action: "rollback", shaSucceededInPromoteFrom: false }, "allowed"],
  ])("%s", (_case, overrides, expected) => {
    expect(code(evaluate(policyInput(overrides)))).toBe(expected);
  });

  describe("--force", () => {
    it("lets an admin with a reason pass locks, windows and promotion, listing each", () => {
      const decision = evaluate(blocked({ actor: github("sam"), force: true, forceReason: "hotfix for donation form" }));
      expect(decision.allowed).toBe(true);
      expect(decision.allowed && decision.forcedPast?.map((d) => d.reasonCode)).toEqual(["locked", "window_closed", "not_promoted"]);
    });

    it("an admin forcing with nothing in the way passes nothing", () => {
      expect(evaluate(policyInput({ actor: github("sam"), force: true, forceReason: "why not" }))).toEqual({ allowed: true });
    });

    it.each([undefined, "", "   "])("an admin without a reason (%p) is asked for one", (forceReason) => {
      const decision = evaluate(blocked({ actor: github("sam"), force: true, forceReason }));
      expect(decision).toMatchObject({ allowed: false, reasonCode: "bad_command" });
      expect(!decision.allowed && decision.message).toMatch(/^--force needs --reason "why"/);
    });

    it("a non-admin gets the original refusal and a note that only admins can force", () => {
      const decision = evaluate(blocked({ force: true, forceReason: "please" }));
      expect(decision).toMatchObject({ allowed: false, reasonCode: "locked" });
      expect(!decision.allowed && decision.message).toMatch(/^donations\/prod is locked by alice.*--force was ignored: only admins \(@hfa\/sre, sam\) can force\.\)$/);
    });

    it("never passes permission", () => {
      const cfg = makeConfig({ admins: ["sam"] });
      const decision = evaluate(policyInput({ config: cfg, env: "staging", actor: github("sam"), repoPermission: "read", force: true, forceReason: "x" }));
      expect(code(decision)).toBe("permission_denied");
    });

    it("never passes busy", () => {
      const decision = evaluate(policyInput({ service: "events", actor: github("sam"), running: runningDeploy(), force: true, forceReason: "x", locks: [lock({ owner: "alice", service: "events" })] }));
      expect(code(decision)).toBe("busy");
    });
  });
});
