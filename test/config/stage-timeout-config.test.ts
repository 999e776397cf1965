import { parseConfig } from "../../src/config/load-config.js";
import { resolveTarget } from "../../src/core/model/resolve-target.js";

const parse = (text: string) => parseConfig(text, "whistlestop.yml");
const BASE = `environments:
  staging: {}
  prod:
    stage_timeout: 1m
services:
  web:
    repo: hfa/web
  site:
    repo: hfa/site
    environments:
      prod: { stage_timeout: 1h30m }
`;

describe("stage_timeout in whistlestop.yml", () => {
  it("reaches the core in ms: absent by default (the watchdog computes one), 1m accepted, a service environment's own wins", () => {
    const result = parse(BASE);
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(resolveTarget(result.config, "web", "staging")?.stageTimeoutMs).toBeUndefined();
    expect(resolveTarget(result.config, "web", "prod")?.stageTimeoutMs).toBe(60_000);
    expect(resolveTarget(result.config, "site", "prod")?.stageTimeoutMs).toBe(90 * 60_000);
  });

  it("rejects what is not a duration, and anything under a minute, saying what to write", () => {
    const result = parse(BASE.replace("stage_timeout: 1m", "stage_timeout: 30s").replace("stage_timeout: 1h30m", "stage_timeout: soon"));
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringContaining('environments.prod.stage_timeout: "30s" is too short: a stage timeout is at least 1m'),
      expect.stringContaining('services.site.environments.prod.stage_timeout: expected a duration like 30m, 1h or 1h30m, got "soon"'),
    ]);
  });
});
