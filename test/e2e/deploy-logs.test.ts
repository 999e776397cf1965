import { createLogger } from "../../src/app/logger.js";
import { realTimers } from "../../src/ports/timers.js";
import { startTestApp, type TestApp } from "../kit/test-app.js";

describe("deploy logs", () => {
  let t: TestApp;
  const lines: Array<Record<string, unknown>> = [];

  beforeEach(async () => {
    lines.length = 0;
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
    t = await startTestApp({ logger });
  });
  afterEach(async () => {
    await t.close();
  });

  test("each deploy's start, stage changes and end are logged at info with id, service, env, sha and actor", async () => {
    const { deploy } = await t.command("deploy donations staging");
    await t.runDeploy(deploy!.id);
    await t.app.notifications.idleWithin(5_000, (ms) => new Promise((resolve) => realTimers.setTimeout(resolve, ms)));
    const mine = lines.filter((l) => l.deployId === deploy!.id);
    const identity = { level: 30, deployId: deploy!.id, service: "donations", env: "staging", sha: deploy!.sha, actor: "api:ci" };
    expect(mine.find((l) => l.msg === "deploy started")).toMatchObject({ ...identity, state: "running" });
    const stages = mine.filter((l) => l.msg === "deploy stage changed");
    // Polls may see several stages move at once: at least one change, each with the stage line.
    expect(stages.length).toBeGreaterThanOrEqual(1);
    stages.forEach((line) => expect(line).toMatchObject({ ...identity, stages: expect.stringMatching(/^Source:\w+ Bake:\w+ Deploy:\w+ Verify:\w+$/) }));
    expect(mine.find((l) => l.msg === "deploy finished")).toMatchObject({ ...identity, state: "succeeded", artifact: expect.stringMatching(/^ami-/) });
  });
});
