import { externalDeployPolicy } from "../../../src/core/policies/external-deploy-policy.js";
import { github, lock, makeConfig, NOW, target, window } from "./fixture.js";

const config = makeConfig();
const prod = target(config, "donations", "prod");

describe("externalDeployPolicy (deploys GitHub Actions make behind a protection rule)", () => {
  it("approves when nothing is in the way", () => {
    expect(externalDeployPolicy({ now: NOW, config, target: prod, locks: [] })).toEqual({ allowed: true });
  });

  it("refuses while someone else's lock covers the target, naming the lock", () => {
    const decision = externalDeployPolicy({ now: NOW, config, target: prod, locks: [lock({ owner: "alice", reason: "debate prep" })], actor: github("bob") });
    expect(decision).toMatchObject({ allowed: false, reasonCode: "locked" });
    expect(!decision.allowed && decision.message).toContain("donations/prod is locked by alice");
  });

  it("refuses a run whose actor is unknown even for an all/all lock", () => {
    const decision = externalDeployPolicy({ now: NOW, config, target: prod, locks: [lock({ owner: "alice", service: "all", env: "all" })] });
    expect(decision).toMatchObject({ allowed: false, reasonCode: "locked" });
  });

  it("lets the lock's owner through their own lock", () => {
    expect(externalDeployPolicy({ now: NOW, config, target: prod, locks: [lock({ owner: "alice" })], actor: github("Alice") })).toEqual({ allowed: true });
  });

  it("refuses during an open deny window, naming it", () => {
    const frozen = makeConfig({
      windows: [window({ name: "Election night", start: "2026-11-03T12:00", end: "2026-11-04T06:00", environments: ["prod"], reason: "results" })],
    });
    const decision = externalDeployPolicy({ now: NOW, config: frozen, target: target(frozen, "donations", "prod"), locks: [] });
    expect(decision).toMatchObject({ allowed: false, reasonCode: "window_closed" });
    expect(!decision.allowed && decision.message).toContain('"Election night"');
  });

  it("ignores windows and locks that cover other targets", () => {
    const frozen = makeConfig({ windows: [window({ name: "Prod freeze", start: "2026-11-03T12:00", end: "2026-11-04T06:00", environments: ["prod"] })] });
    const staging = target(frozen, "donations", "staging");
    expect(externalDeployPolicy({ now: NOW, config: frozen, target: staging, locks: [lock({ owner: "alice" })] })).toEqual({ allowed: true });
  });
});
