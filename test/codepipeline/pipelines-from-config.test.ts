import { describe, expect, it } from "@jest/globals";
import type { EnvironmentSettings, WhistlestopConfig } from "../../src/core/model/config.js";
import { startEmulatorFromEnv } from "../../src/emulator/emulator-main.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";

const env = (overrides: Partial<EnvironmentSettings> = {}): EnvironmentSettings => ({ confirm: false, deployers: [], enforceInPipeline: false, ...overrides });

const config: WhistlestopConfig = {
  timezone: "America/New_York",
  defaults: { pipeline: "{service}-{env}", sourceAction: "Source", deployStage: "Deploy", concurrency: "queue", rollback: "rollback-stage" },
  environments: { staging: env(), prod: env({ enforceInPipeline: true }) },
  services: {
    donations: {
      repo: "hfa/donations",
      onMerge: ["staging"],
      stages: ["Checkout", "Bake", "Deploy", "Verify"],
      environments: { prod: { pipeline: "donations-production", sourceAction: "GitHub" } },
    },
    site: { repo: "hfa/site", onMerge: [], stages: ["Source", "Build", "Release"], environments: {} },
    api: { repo: "hfa/api", onMerge: [], environments: {} },
  },
  windows: [],
  people: {},
  admins: [],
  apiClients: {},
};

describe("pipelinesFromConfig", () => {
  const pipelines = pipelinesFromConfig(config);
  const byName = new Map(pipelines.map((p) => [p.name, p]));

  it("makes one pipeline per service and environment, named as the target resolves it", () => {
    expect([...byName.keys()].sort()).toEqual(["api-prod", "api-staging", "donations-production", "donations-staging", "site-prod", "site-staging"]);
  });

  it("puts the target's source action in the first stage and outputs the AMI from the bake stage", () => {
    expect(byName.get("donations-production")).toMatchObject({
      stages: [{ name: "Checkout", actions: ["GitHub"] }, { name: "Bake" }, { name: "Deploy" }, { name: "Verify" }],
      bakeStage: "Bake",
      repo: "hfa/donations",
    });
    expect(byName.get("donations-staging")?.stages[0]).toEqual({ name: "Checkout", actions: ["Source"] });
  });

  it("uses Source, Bake, Deploy, Verify when the service lists no stages, and always has the deploy stage", () => {
    expect(byName.get("api-staging")?.stages.map((s) => s.name)).toEqual(["Source", "Bake", "Deploy", "Verify"]);
    expect(byName.get("site-staging")?.stages.map((s) => s.name)).toEqual(["Source", "Build", "Deploy", "Release"]);
    expect(byName.get("site-staging")?.bakeStage).toBeUndefined();
  });
});

describe("startEmulatorFromEnv", () => {
  it("serves every pipeline of the example configuration", async () => {
    const running = await startEmulatorFromEnv({ WHISTLESTOP_CONFIG: "examples/whistlestop.yml", EMULATOR_PORT: "0", EMULATOR_STEP_MS: "5" });
    try {
      const names = running.emulator.pipelineDefinitions().map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(["donations-production", "donations-staging", "events-prod"]));
      expect(running.emulator.stepMs).toBe(5);
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await running.close();
    }
  });

  it("lists the configuration problems instead of starting", async () => {
    await expect(startEmulatorFromEnv({ WHISTLESTOP_CONFIG: "does/not/exist.yml", EMULATOR_PORT: "0" })).rejects.toThrow("does/not/exist.yml");
  });
});
