import { decide } from "../../../src/core/policies/decide.js";
import { WHISTLESTOP_ACTOR } from "../../../src/core/commands/auto-rollback.js";
import { lock, makeConfig, policyInput, window } from "./fixture.js";

const freeze = (allowRollback: boolean) => window({ name: "Election night", start: "2026-11-03T12:00", end: "2026-11-04T06:00", environments: ["prod"], allowRollback });
const automatic = (windows = [freeze(true)]) =>
  policyInput({ config: makeConfig({ windows }), action: "rollback", actor: WHISTLESTOP_ACTOR, teams: new Set(), locks: [lock({ owner: "alice", reason: "debate prep" })], automaticRollbackOf: "d-failed" });

describe("decide: Whistlestop's automatic rollback", () => {
  it("needs no person's permission and passes a lock and a deny window that allows rollbacks", () => {
    expect(decide(automatic())).toEqual({ allowed: true });
  });

  it("is held back by a deny window with allow_rollback: false, like anyone's rollback", () => {
    expect(decide(automatic([freeze(false)]))).toMatchObject({ allowed: false, reasonCode: "window_closed" });
  });

  it("is only ever a rollback", () => {
    expect(decide({ ...automatic(), action: "deploy" })).toMatchObject({ allowed: false, reasonCode: "bad_command" });
  });
});
