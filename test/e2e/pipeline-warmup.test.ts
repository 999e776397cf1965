import { allTargets } from "../../src/core/model/resolve-target.js";
import { waitFor } from "../kit/wait-for.js";
import { startTestApp, type TestApp } from "../kit/test-app.js";

/** The first deploy of a pipeline after a start does not wait for GetPipeline: start-up read it. */
describe("pipeline declarations read at start-up", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test("every configured pipeline is read once at start-up, and a deploy then reads none", async () => {
    const pipelines = new Set(allTargets(t.config).map((target) => target.pipeline));
    await waitFor("every pipeline to be read", () => (t.emulator.emulator.stats().calls.GetPipeline ?? 0) >= pipelines.size || undefined);
    expect(t.emulator.emulator.stats().calls.GetPipeline).toBe(pipelines.size);

    const result = await t.command("deploy events staging");
    expect(result.outcome).toBe("started");
    expect(t.emulator.emulator.stats().calls).toMatchObject({ GetPipeline: pipelines.size, StartPipelineExecution: 1 });
  });
});
