import { parseConfig } from "../../src/config/load-config.js";
import { resolveTarget } from "../../src/core/model/resolve-target.js";

const parse = (text: string) => parseConfig(text, "whistlestop.yml");
const BASE = `environments:
  staging: {}
  prod:
    mention_authors: true
services:
  web:
    repo: hfa/web
    notify_prs: true
  site:
    repo: hfa/site
    environments:
      prod: { mention_authors: false }
      staging: { mention_authors: true }
`;

describe("mention_authors and notify_prs in whistlestop.yml", () => {
  it("reach the core: mention_authors on an environment, overridden per service either way; notify_prs per service, off by default", () => {
    const result = parse(BASE);
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(resolveTarget(result.config, "web", "prod")?.mentionAuthors).toBe(true);
    expect(resolveTarget(result.config, "web", "staging")?.mentionAuthors).toBeFalsy();
    expect(resolveTarget(result.config, "site", "prod")?.mentionAuthors).toBe(false);
    expect(resolveTarget(result.config, "site", "staging")?.mentionAuthors).toBe(true);
    expect(result.config.services.web?.notifyPrs).toBe(true);
    expect(result.config.services.site?.notifyPrs).toBeUndefined();
  });

  it("rejects values that are not true or false, naming the field, and a notify_prs on an environment (it belongs to a service)", () => {
    const result = parse(BASE.replace("mention_authors: true\nservices", "mention_authors: yes please\nservices").replace("notify_prs: true", "notify_prs: 1").replace("  staging: {}", "  staging: { notify_prs: true }"));
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringContaining(`environments.staging.notify_prs: unknown key "notify_prs"`),
      expect.stringContaining("environments.prod.mention_authors: expected true or false"),
      expect.stringContaining("services.web.notify_prs: expected true or false"),
    ]);
  });
});
