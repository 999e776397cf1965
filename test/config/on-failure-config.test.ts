import { parseConfig } from "../../src/config/load-config.js";
import { resolveTarget } from "../../src/core/model/resolve-target.js";

const parse = (text: string) => parseConfig(text, "whistlestop.yml");
const BASE = `announce_channel: C0ANNOUNCE
environments:
  staging: {}
  prod:
    on_failure: rollback
services:
  web:
    repo: hfa/web
  site:
    repo: hfa/site
    environments:
      prod: { on_failure: notify }
`;

describe("on_failure and announce_channel in whistlestop.yml", () => {
  it("reach the core: notify by default, rollback where set, a service environment's own setting wins", () => {
    const result = parse(BASE);
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(resolveTarget(result.config, "web", "staging")?.onFailure).toBe("notify");
    expect(resolveTarget(result.config, "web", "prod")?.onFailure).toBe("rollback");
    expect(resolveTarget(result.config, "site", "prod")?.onFailure).toBe("notify");
    expect(result.config.announceChannel).toBe("C0ANNOUNCE");
  });

  it("rejects an unknown on_failure and a channel name instead of an id", () => {
    const result = parse(BASE.replace("on_failure: rollback", "on_failure: revert").replace("C0ANNOUNCE", "deploys"));
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringContaining('announce_channel: "deploys" is not a Slack channel id'),
      expect.stringContaining('environments.prod.on_failure: expected "rollback" or "notify"'),
    ]);
  });
});
