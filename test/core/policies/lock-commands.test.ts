import { lockCommandPolicy, type LockCommandFacts } from "../../../src/core/policies/lock-command-policy.js";
import { unlockPolicy, type UnlockFacts } from "../../../src/core/policies/unlock-policy.js";
import { github, lock, makeConfig, NOW, slack, target } from "./fixture.js";

const config = makeConfig();
const alicesLock = lock({ owner: "alice", reason: "debate prep" });

function lockFacts(overrides: Partial<LockCommandFacts>): LockCommandFacts {
  const service = overrides.service ?? "donations";
  const env = overrides.env ?? "prod";
  return {
    now: NOW,
    config,
    actor: github("dana"),
    teams: new Set(["@hfa/engineering"]),
    service,
    env,
    target: service === "all" || env === "all" ? undefined : target(config, service, env),
    repoPermission: "write",
    locks: [],
    ...overrides,
  };
}

describe("lockCommandPolicy", () => {
  it.each<[string, Partial<LockCommandFacts>, true | string]>([
    ["a deployer locks a service", {}, true],
    ["someone who may not deploy there", { actor: github("mallory"), teams: new Set() }, "permission_denied"],
    ["read-only user", { env: "staging", actor: github("rita"), repoPermission: "read" }, "permission_denied"],
    ["unmapped slack user", { env: "staging", actor: slack("U777") }, "permission_denied"],
    ["non-admin locks all/prod", { service: "all" }, "permission_denied"],
    ["non-admin locks donations/all", { env: "all" }, "permission_denied"],
    ["admin locks all/all", { service: "all", env: "all", actor: github("sam") }, true],
    ["admin by team locks all/prod", { service: "all", teams: new Set(["@hfa/sre"]) }, true],
    ["the owner extends their lock", { actor: github("alice"), teams: new Set(["@hfa/engineering"]), locks: [alicesLock] }, true],
    ["someone else's lock on the same scope", { locks: [alicesLock] }, "locked"],
    ["an admin cannot take over someone's lock either", { actor: github("sam"), locks: [alicesLock] }, "locked"],
    ["an expired lock is replaced", { locks: [lock({ owner: "alice", expiresAt: "2026-11-03T19:00:00Z" })] }, true],
    ["a broader lock does not stop a narrower one", { locks: [lock({ owner: "alice", service: "all" })] }, true],
  ])("%s", (_case, overrides, expected) => {
    const decision = lockCommandPolicy(lockFacts(overrides));
    if (expected === true) expect(decision).toEqual({ allowed: true });
    else expect(decision).toMatchObject({ allowed: false, reasonCode: expected });
  });

  it("tells a non-admin why all-scopes are for admins", () => {
    const decision = lockCommandPolicy(lockFacts({ service: "all" }));
    expect(!decision.allowed && decision.message).toMatch(/^Only admins \(@hfa\/sre, sam\) may lock all\/prod/);
  });

  it("names the holder of the lock and how to get it removed", () => {
    const decision = lockCommandPolicy(lockFacts({ locks: [alicesLock] }));
    expect(!decision.allowed && decision.message).toBe(
      "donations/prod is locked by alice since Tue Nov 3 14:02 EST until unlocked (debate prep). " +
        "Ask alice to `unlock donations prod`, or, if you are an admin, `unlock donations prod --force` first.",
    );
  });
});

describe("unlockPolicy", () => {
  const facts = (overrides: Partial<UnlockFacts>): UnlockFacts => ({
    now: NOW,
    config,
    actor: github("alice"),
    teams: new Set(),
    service: "donations",
    env: "prod",
    force: false,
    locks: [alicesLock],
    ...overrides,
  });

  it("lets the owner unlock", () => {
    expect(unlockPolicy(facts({}))).toEqual({ allowed: true });
  });

  it("refuses others, naming the owner", () => {
    const decision = unlockPolicy(facts({ actor: github("bob") }));
    expect(decision).toMatchObject({ allowed: false, reasonCode: "locked" });
    expect(!decision.allowed && decision.message).toMatch(/locked by alice .*Only alice or an admin \(@hfa\/sre, sam\) can unlock it/);
  });

  it("refuses an admin without --force and says how", () => {
    const decision = unlockPolicy(facts({ actor: github("sam") }));
    expect(!decision.allowed && decision.message).toContain("`unlock donations prod --force`");
  });

  it("lets an admin with --force unlock and records what was overridden", () => {
    const decision = unlockPolicy(facts({ actor: github("olga"), teams: new Set(["@hfa/sre"]), force: true }));
    expect(decision.allowed).toBe(true);
    expect(decision.allowed && decision.forcedPast?.map((d) => d.reasonCode)).toEqual(["locked"]);
  });

  it("--force does nothing for a non-admin", () => {
    expect(unlockPolicy(facts({ actor: github("bob"), force: true }))).toMatchObject({ allowed: false, reasonCode: "locked" });
  });

  it("says when there is nothing to unlock", () => {
    expect(unlockPolicy(facts({ locks: [] }))).toMatchObject({ allowed: false, reasonCode: "not_found" });
    const expired = unlockPolicy(facts({ locks: [lock({ owner: "alice", expiresAt: "2026-11-03T19:00:00Z" })] }));
    expect(expired).toMatchObject({ allowed: false, reasonCode: "not_found" });
  });

  it("points at the broader lock that covers the scope", () => {
    const decision = unlockPolicy(facts({ locks: [lock({ owner: "hal", service: "all" })] }));
    expect(!decision.allowed && decision.message).toContain("covered by hal's lock on all/prod: `unlock all prod` removes that one");
  });
});
