import { lockPolicy } from "../../../src/core/policies/lock-policy.js";
import { github, lock, policyInput, slack } from "./fixture.js";

const alicesLock = lock({ owner: "alice", reason: "debate prep", expiresAt: "2026-11-03T23:00:00Z" });

describe("lockPolicy", () => {
  it("lets the owner deploy through their own lock", () => {
    expect(lockPolicy(policyInput({ actor: github("Alice"), locks: [alicesLock] }))).toEqual({ allowed: true });
  });

  it("recognises the owner across surfaces by their login", () => {
    expect(lockPolicy(policyInput({ actor: slack("U1", "alice"), locks: [alicesLock] }))).toEqual({ allowed: true });
  });

  it("refuses anyone else, naming owner, since, until, reason and what to do", () => {
    const decision = lockPolicy(policyInput({ actor: github("bob"), locks: [alicesLock] }));
    expect(decision).toEqual({
      allowed: false,
      reasonCode: "locked",
      message:
        "donations/prod is locked by alice since Tue Nov 3 14:02 EST until 18:00 EST (debate prep). " +
        'Ask alice to `unlock donations prod`, wait until it expires, or, if you are an admin, add --force --reason "…".',
    });
  });

  it("says a lock without expiry lasts until unlocked", () => {
    const decision = lockPolicy(policyInput({ actor: github("bob"), locks: [lock({ owner: "alice" })] }));
    expect(!decision.allowed && decision.message).toMatch(/since Tue Nov 3 14:02 EST until unlocked\. Ask alice to `unlock donations prod`, or, if you/);
  });

  it("shows the full date when the lock ends on another day", () => {
    const decision = lockPolicy(policyInput({ actor: github("bob"), locks: [lock({ owner: "alice", expiresAt: "2026-11-04T15:00:00Z" })] }));
    expect(!decision.allowed && decision.message).toContain("until Wed Nov 4 10:00 EST");
  });

  it("ignores expired locks", () => {
    const expired = lock({ owner: "alice", expiresAt: "2026-11-03T19:30:00Z" });
    expect(lockPolicy(policyInput({ actor: github("bob"), locks: [expired] }))).toEqual({ allowed: true });
  });

  it("a lock whose times cannot be read still blocks (fail closed)", () => {
    const garbled = lock({ owner: "alice", expiresAt: "soon", createdAt: "yesterday" });
    const decision = lockPolicy(policyInput({ actor: github("bob"), locks: [garbled] }));
    expect(decision).toMatchObject({ allowed: false, reasonCode: "locked" });
    expect(!decision.allowed && decision.message).toContain("locked by alice since an unknown time until an unknown time");
  });

  it.each([
    ["another service", { service: "events", env: "prod" }, true],
    ["another environment", { service: "donations", env: "staging" }, true],
    ["service/all", { service: "donations", env: "all" }, false],
    ["all/env", { service: "all", env: "prod" }, false],
    ["the global lock all/all", { service: "all", env: "all" }, false],
  ])("a lock on %s", (_case, scope, allowed) => {
    const decision = lockPolicy(policyInput({ actor: github("bob"), locks: [lock({ owner: "alice", ...scope })] }));
    expect(decision.allowed).toBe(allowed);
  });

  it("names the broader lock and how to remove it", () => {
    const decision = lockPolicy(policyInput({ actor: github("bob"), locks: [lock({ owner: "sre-oncall", service: "all", env: "all", reason: "election night" })] }));
    expect(!decision.allowed && decision.message).toMatch(/^donations\/prod is locked \(lock on all\/all\) by sre-oncall .*\(election night\)\. Ask sre-oncall to `unlock all all`/);
  });

  it("reports the most specific lock held by someone else", () => {
    const locks = [lock({ owner: "gina", service: "all", env: "all" }), lock({ owner: "alice" }), lock({ owner: "hal", service: "all", env: "prod" })];
    const decision = lockPolicy(policyInput({ actor: github("bob"), locks }));
    expect(!decision.allowed && decision.message).toMatch(/^donations\/prod is locked by alice/);
  });

  it("an owner's own lock does not hide someone else's broader lock", () => {
    const locks = [lock({ owner: "alice" }), lock({ owner: "hal", service: "all", env: "prod" })];
    const decision = lockPolicy(policyInput({ actor: github("alice"), locks }));
    expect(!decision.allowed && decision.message).toMatch(/^donations\/prod is locked \(lock on all\/prod\) by hal/);
  });
});
