import type { DeployEvent } from "../../src/core/ports/notifier.js";
import { coreHarness } from "../core/harness.js";

const SECOND = 1000;
const LEASE_MS = 45 * SECOND;

/**
 * Which unreported deploys a replica's sweep sends again. Found by replicas-on-postgres.test.ts:
 * every sweep re-sent every deploy not yet reported, including ones another replica (or this one)
 * was reporting at that moment, so deploys got two Slack cards and two GitHub Deployments.
 */
describe("a sweep reports again only what nobody else is reporting", () => {
  test("a deploy another live replica finished is left to it until its lease runs out", async () => {
    const h = coreHarness();
    h.notifier.failing = true;
    await h.deploy("donations", "staging");
    h.pipeline.finish("exec-1", "Succeeded");
    await h.pollAll();
    await h.store.updateDeploy("d-0001", { ownerId: "replica-b", leaseExpiresAt: new Date(h.clock.now().getTime() + 30 * SECOND).toISOString() });
    h.notifier.failing = false;

    await h.orchestrator.sweep();
    await h.notifications.idle();
    expect(h.notifier.types("d-0001")).toEqual([]);

    await h.time.advance(30 * SECOND);
    await h.orchestrator.sweep();
    await h.notifications.idle();
    expect(h.notifier.types("d-0001")).toEqual(["succeeded"]);
  });

  test("a queued deploy nobody owns is left to whoever queued it for a lease's time", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    h.notifier.failing = true;
    await h.deploy("donations", "staging", { ref: "b".repeat(40) });
    await h.notifications.idle();
    h.notifier.failing = false;

    await h.orchestrator.sweep();
    await h.notifications.idle();
    expect(h.notifier.types("d-0002")).toEqual([]);

    await h.time.advance(LEASE_MS);
    await h.orchestrator.sweep();
    await h.notifications.idle();
    expect(h.notifier.types("d-0002")).toEqual(["queued"]);
  });

  test("this replica's own unreported deploy is sent again at once, but not while its events are still on their way", async () => {
    const h = coreHarness();
    // The first delivery is slow (a card edit waiting its turn); the sweep comes meanwhile.
    let release: (() => void) | undefined;
    const delivered: DeployEvent[] = [];
    h.notifier.notify = async (event) => {
      if (!delivered.length && !release) await new Promise<void>((resolve) => (release = resolve));
      delivered.push(event);
    };
    await h.deploy("donations", "staging");
    await h.orchestrator.sweep();
    release!();
    await h.notifications.idle();
    expect(delivered.map((e) => e.type)).toEqual(["started"]);

    h.notifier.notify = async () => {
      throw new Error("Slack is down");
    };
    h.pipeline.finish("exec-1", "Succeeded");
    await h.pollAll();
    h.notifier.notify = async (event) => void delivered.push(event);
    await h.orchestrator.sweep();
    await h.notifications.idle();
    expect(delivered.map((e) => e.type)).toEqual(["started", "succeeded"]);
  });
});
