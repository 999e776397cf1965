import type { Verification } from "../../../src/core/model/deploy.js";
import type { StoreHarness } from "../store-harness.js";
import { at, atDate, newDeploy, unique } from "../deploy-fixtures.js";

/**
 * Alarm verification: a verifying deploy keeps its (service, env)'s slot until it ends, its
 * verification is stored as written (so another replica resumes it), and it is followed and leased
 * like a running deploy.
 */
export function verificationCases(harness: () => StoreHarness): void {
  const store = () => harness().store;
  const verification: Verification = {
    alarms: ["web-5xx", "web-latency"],
    startedAt: at(10),
    endsAt: at(20),
    onAlarm: "rollback",
    checkedAt: at(11),
    checks: 2,
    failures: 1,
    problem: { kind: "missing_alarms", message: 'alarm "web-latency" does not exist in us-east-1' },
    found: ["web-5xx"],
  };
  const verifyingDeploy = async (service: string) => {
    const deploy = newDeploy({ id: unique("d-verify"), service });
    await store().insertDeploy(deploy);
    expect(await store().claimSlot(deploy.id, atDate(1))).toBe(true);
    const verifying = await store().updateDeploy(deploy.id, { state: "verifying", verification }, "running");
    expect(verifying).toMatchObject({ state: "verifying", verification });
    return deploy.id;
  };

  describe("alarm verification", () => {
    it("a verifying deploy holds the slot: the next one queues, and starts only when verification ends", async () => {
      const service = unique("web");
      const id = await verifyingDeploy(service);
      expect((await store().getRunning(service, "staging"))?.id).toBe(id);
      expect((await store().listRunning()).map((d) => d.id)).toContain(id);
      const next = newDeploy({ id: unique("d-next"), service });
      const inserted = await store().insertDeploy(next, { startIfFree: { at: atDate(2), lease: { ownerId: "r1", until: atDate(3) } } });
      expect(inserted).toMatchObject({ kind: "inserted", deploy: { state: "queued" } });
      expect(await store().claimSlot(next.id, atDate(2))).toBe(false);

      expect(await store().updateDeploy(id, { state: "succeeded", finishedAt: at(20) }, "verifying")).toMatchObject({ state: "succeeded", verification });
      expect(await store().claimSlot(next.id, atDate(21))).toBe(true);
    });

    it("keeps the verification as written, changes it by compare-and-set on verifying, and leases the deploy", async () => {
      const service = unique("web");
      const id = await verifyingDeploy(service);
      expect((await store().getDeploy(id))?.verification).toEqual(verification);
      const checked = { ...verification, checks: 3, failures: 0, checkedAt: at(12) };
      expect(await store().updateDeploy(id, { verification: checked }, "running")).toBeUndefined();
      expect((await store().updateDeploy(id, { verification: checked }, "verifying"))?.verification).toEqual(checked);
      expect(await store().claimLeases("replica-b", [id], atDate(12), atDate(13))).toEqual([id]);
      expect((await store().listDeploys({ service, states: ["verifying"] })).map((d) => d.id)).toEqual([id]);
    });

    it("a failure by an alarm keeps its reason code", async () => {
      const id = await verifyingDeploy(unique("web"));
      const failed = await store().updateDeploy(id, { state: "failed", error: "alarm:web-5xx", reasonCode: "alarm:web-5xx", finishedAt: at(15) }, "verifying");
      expect(failed).toMatchObject({ state: "failed", error: "alarm:web-5xx", reasonCode: "alarm:web-5xx" });
    });
  });
}
