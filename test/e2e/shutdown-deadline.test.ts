import { CodePipelineAdapter } from "../../src/adapters/codepipeline/codepipeline-adapter.js";
import { createLogger } from "../../src/app/logger.js";
import type { Pipeline } from "../../src/core/ports/pipeline.js";
import { testClient } from "../codepipeline/sdk-client.js";
import { startTestApp, type TestApp } from "../kit/test-app.js";

/** CodePipeline that stops answering progress reads once `hang` is set: each poll waits forever. */
function hangingPipeline(url: string, state: { hang: boolean; polls: number }): Pipeline {
  const real = new CodePipelineAdapter(testClient(url), { region: "us-east-1" });
  return Object.assign(Object.create(real) as Pipeline, {
    getExecution: (name: string, id: string) => {
      if (!state.hang) return real.getExecution(name, id);
      state.polls += 1;
      return new Promise<never>(() => {});
    },
  });
}

describe("graceful shutdown under a deadline", () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.store.close();
    await t?.emulator.close();
  });

  test("a poll CodePipeline never answers does not hold the stop past the deadline; leases and the replica id are still handed back", async () => {
    const state = { hang: false, polls: 0 };
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
    t = await startTestApp({ pipeline: (url) => hangingPipeline(url, state), shutdownMs: 300, logger });
    const { deploy } = await t.command("deploy donations staging");
    await t.runDeploy(deploy!.id, (d) => d.executionId !== undefined);
    state.hang = true;
    t.app.tracker.poke(deploy!.id);
    while (state.polls === 0) await new Promise((resolve) => setImmediate(resolve));

    await t.app.stop();

    expect(lines.find((l) => l.msg === "shutdown step did not finish in time; left behind")).toMatchObject({ step: "tracker stopped" });
    const stored = await t.store.getDeploy(deploy!.id);
    expect(stored).toMatchObject({ state: "running", ownerId: t.app.replicaId });
    // Handed back: the lease ends now, so the next server follows the deploy at once.
    expect(Date.parse(stored!.leaseExpiresAt!)).toBeLessThanOrEqual(Date.now());
    expect(await t.store.getReplica(t.app.replicaId)).toBeUndefined();
    expect(lines.filter((l) => l.msg === "shutdown step done").map((l) => l.step)).toEqual(
      expect.arrayContaining(["leases handed back", "replica id released", "accepted requests handed back"]),
    );
  });
});
