import { everyPull, shipNewsOf } from "../../../src/core/changes/ship-news.js";
import { toDeployView } from "../../../src/core/commands/deploy-view.js";
import { changeSetFixture } from "../../fakes/change-set-fixture.js";
import { aDeploy } from "../../kit/builders.js";

const ALL = [{ number: 13, author: "alice" }, { number: 12, author: "jordan-payments" }, { number: 11 }];

describe("what a finished deploy tells the people whose PRs it moved", () => {
  test("a succeeded deploy that ships says shipped, with every PR however many the card lists", () => {
    const deploy = aDeploy({ state: "succeeded", changeSet: changeSetFixture({ allPulls: ALL, pullCount: 3 }) });
    expect(shipNewsOf(deploy)).toEqual({ kind: "shipped", pulls: ALL });
  });

  test("a failed deploy says its PRs did not ship; a failed rollback changed nothing for them", () => {
    const changeSet = changeSetFixture({ allPulls: ALL });
    expect(shipNewsOf(aDeploy({ state: "failed", changeSet }))?.kind).toBe("not_shipped");
    expect(shipNewsOf(aDeploy({ state: "failed", rollbackOf: "d-0", changeSet: changeSetFixture({ direction: "takes_out", allPulls: ALL }) }))).toBeUndefined();
  });

  test("a rollback, or a deploy of an older commit, takes PRs out and never says shipped", () => {
    const back = changeSetFixture({ direction: "takes_out", allPulls: ALL });
    expect(shipNewsOf(aDeploy({ state: "succeeded", rollbackOf: "d-0", changeSet: back }))?.kind).toBe("taken_out");
    expect(shipNewsOf(aDeploy({ state: "succeeded", changeSet: back }))?.kind).toBe("taken_out");
  });

  test("nothing while the deploy runs or when it was cancelled, nor without listed PRs", () => {
    const changeSet = changeSetFixture({ allPulls: ALL });
    expect(shipNewsOf(aDeploy({ state: "running", changeSet }))).toBeUndefined();
    expect(shipNewsOf(aDeploy({ state: "cancelled", changeSet }))).toBeUndefined();
    expect(shipNewsOf(aDeploy({ state: "succeeded" }))).toBeUndefined();
    expect(shipNewsOf(aDeploy({ state: "succeeded", changeSet: changeSetFixture({ status: "too_large", pulls: [], pullCount: undefined }) }))).toBeUndefined();
    expect(shipNewsOf(aDeploy({ state: "succeeded", changeSet: changeSetFixture({ pulls: [], pullCount: 0, allPulls: [] }) }))).toBeUndefined();
  });

  test("a change set stored before the full list was kept tells what it listed", () => {
    expect(everyPull(changeSetFixture())).toEqual([{ number: 12, author: "jordan-payments" }, { number: 11 }]);
  });

  test("the API's view keeps showing at most the listed PRs, not the full list", () => {
    const view = toDeployView(aDeploy({ changeSet: changeSetFixture({ allPulls: ALL }) }));
    expect(view.changeSet).not.toHaveProperty("allPulls");
    expect(view.changeSet).toMatchObject({ pulls: [{ number: 12 }, { number: 11 }], summary: expect.stringContaining("2 merged PRs") });
  });
});
