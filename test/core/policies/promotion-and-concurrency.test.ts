import { concurrencyPolicy, supersedes } from "../../../src/core/policies/concurrency-policy.js";
import { promotionPolicy } from "../../../src/core/policies/promotion-policy.js";
import { policyInput, runningDeploy } from "./fixture.js";

describe("promotionPolicy", () => {
  it.each<[string, Parameters<typeof policyInput>[0], boolean]>([
    ["sha succeeded in staging", { shaSucceededInPromoteFrom: true }, true],
    ["sha never succeeded in staging", { shaSucceededInPromoteFrom: false }, false],
    ["unknown is refused (fail closed)", { shaSucceededInPromoteFrom: undefined }, false],
    ["rollbacks skip promotion", { shaSucceededInPromoteFrom: false, action: "rollback" }, true],
    ["no promote_from", { env: "staging", shaSucceededInPromoteFrom: false }, true],
  ])("%s", (_case, overrides, allowed) => {
    expect(promotionPolicy(policyInput(overrides)).allowed).toBe(allowed);
  });

  it("says how to promote", () => {
    expect(promotionPolicy(policyInput({ shaSucceededInPromoteFrom: false }))).toEqual({
      allowed: false,
      reasonCode: "not_promoted",
      message:
        "abc1234 was never deployed successfully to staging, and prod only takes what succeeded there. " +
        'Deploy it to staging first (`deploy donations staging abc1234`), or, if you are an admin, add --force --reason "…".',
    });
  });
});

describe("concurrencyPolicy", () => {
  it("allows when nothing runs", () => {
    expect(concurrencyPolicy(policyInput({ service: "events" })).allowed).toBe(true);
  });

  it("allows with concurrency queue: the caller queues", () => {
    expect(concurrencyPolicy(policyInput({ running: runningDeploy({ service: "donations" }) })).allowed).toBe(true);
  });

  it("refuses with concurrency reject, naming the running deploy", () => {
    expect(concurrencyPolicy(policyInput({ service: "events", running: runningDeploy() }))).toEqual({
      allowed: false,
      reasonCode: "busy",
      message:
        "events/prod is busy: deploy d-123 of fedcba9 by alice has been running since 14:11 EST. " +
        "Wait for it to finish and try again, or `cancel events prod` to stop it.",
    });
  });
});

describe("supersedes", () => {
  const queued = [
    runningDeploy({ id: "auto-1", state: "queued", automatic: true }),
    runningDeploy({ id: "human", state: "queued", automatic: false }),
    runningDeploy({ id: "auto-2", state: "queued", automatic: true }),
  ];

  it("an automatic deploy supersedes older queued automatic ones", () => {
    expect(supersedes(true, queued).map((d) => d.id)).toEqual(["auto-1", "auto-2"]);
  });

  it("a person's deploy supersedes nothing", () => {
    expect(supersedes(false, queued)).toEqual([]);
  });
});
