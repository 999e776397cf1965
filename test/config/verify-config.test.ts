import { parseConfig } from "../../src/config/load-config.js";
import { resolveTarget } from "../../src/core/model/resolve-target.js";

const parse = (text: string) => parseConfig(text, "whistlestop.yml");
const BASE = `environments:
  staging: {}
  prod:
    verify: { alarms: [web-5xx, web-latency], for: 10m, on_alarm: rollback }
services:
  web:
    repo: hfa/web
  site:
    repo: hfa/site
    environments:
      prod: { verify: false }
      staging: { verify: { alarms: [site-errors], for: 1m } }
`;

const problemsOf = (text: string): string[] => {
  const result = parse(text);
  return result.ok ? [] : result.problems;
};

describe("verify in whistlestop.yml", () => {
  it("reaches the core: the environment's settings, a service environment's own, and false turning them off", () => {
    const result = parse(BASE);
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(resolveTarget(result.config, "web", "prod")?.verify).toEqual({ alarms: ["web-5xx", "web-latency"], forMs: 600_000, onAlarm: "rollback" });
    expect(resolveTarget(result.config, "web", "staging")?.verify).toBeUndefined();
    expect(resolveTarget(result.config, "site", "prod")?.verify).toBe(false);
    // for accepts 1m; on_alarm defaults to notify.
    expect(resolveTarget(result.config, "site", "staging")?.verify).toEqual({ alarms: ["site-errors"], forMs: 60_000, onAlarm: "notify" });
  });

  it("defaults for to 10m", () => {
    const result = parse(BASE.replace(", for: 10m, on_alarm: rollback", ""));
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(resolveTarget(result.config, "web", "prod")?.verify).toMatchObject({ forMs: 600_000, onAlarm: "notify" });
  });

  const VERIFY = "{ alarms: [web-5xx, web-latency], for: 10m, on_alarm: rollback }";
  it.each([
    ["too short a period", "{ alarms: [a], for: 30s }", 'environments.prod.verify.for: "30s" is too short: verify for at least 1m'],
    ["a period that is no duration", "{ alarms: [a], for: soon }", 'environments.prod.verify.for: expected a duration like 5m, 10m or 1h, got "soon"'],
    ["too long a period", "{ alarms: [a], for: 2d }", 'environments.prod.verify.for: "2d" is too long: at most 24h'],
    ["an unknown on_alarm", "{ alarms: [a], on_alarm: revert }", 'environments.prod.verify.on_alarm: expected "rollback" or "notify"'],
    ["no alarms", "{ for: 5m }", "environments.prod.verify.alarms: required: a list of CloudWatch alarm names"],
    ["an empty list", "{ alarms: [] }", "environments.prod.verify.alarms: alarms must name at least one CloudWatch alarm"],
    ["a duplicate", "{ alarms: [a, a] }", "environments.prod.verify.alarms: alarms lists the same alarm twice"],
    ["an unknown key", "{ alarms: [a], period: 5m }", 'environments.prod.verify.period: unknown key "period"'],
  ])("rejects %s with a message naming the line and field", (_what, verify, message) => {
    expect(problemsOf(BASE.replace(VERIFY, verify))).toEqual([expect.stringContaining(`whistlestop.yml:4: ${message}`)]);
  });

  it("rejects a verify that is neither a mapping nor false", () => {
    expect(problemsOf(BASE.replace("verify: false", "verify: yes please"))).toEqual([expect.stringContaining("services.site.environments.prod.verify: expected a mapping with alarms")]);
  });
});
