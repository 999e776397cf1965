import { parseConfig } from "../../src/config/load-config.js";
import { resolveTarget } from "../../src/core/model/resolve-target.js";

const parse = (text: string) => parseConfig(text, "whistlestop.yml");
const BASE = `environments:
  staging: {}
  prod:
    github_environment: production
services:
  web:
    repo: hfa/web
    allow_fork_deploys: true
  site:
    repo: hfa/site
    environments:
      prod: { github_environment: github-pages }
`;

describe("github_environment and allow_fork_deploys in whistlestop.yml", () => {
  it("reach the core: a service's own mapping wins over the environment's; forks stay refused unless a service opts in", () => {
    const result = parse(BASE);
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(resolveTarget(result.config, "web", "prod")?.githubEnvironment).toBe("production");
    expect(resolveTarget(result.config, "site", "prod")?.githubEnvironment).toBe("github-pages");
    expect(resolveTarget(result.config, "web", "staging")?.githubEnvironment).toBeUndefined();
    expect(result.config.services.web?.allowForkDeploys).toBe(true);
    expect(result.config.services.site?.allowForkDeploys).toBeUndefined();
  });

  it("refuses two environments answering to one GitHub environment, once at the top and where a service's override makes it", () => {
    const result = parse(`${BASE.replace("github_environment: production", "github_environment: Staging")}  api:
    repo: hfa/api
    environments:
      staging: { github_environment: github-pages }
      prod: { github_environment: GitHub-Pages }
`);
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringMatching(/^whistlestop\.yml:4: environments\.prod\.github_environment: the GitHub environment "Staging" already maps to staging; give each/),
      expect.stringMatching(/services\.api\.environments\.prod\.github_environment: the GitHub environment "GitHub-Pages" already maps to staging for service api/),
    ]);
  });

  it("rejects an empty name and a non-boolean allow_fork_deploys", () => {
    const result = parse(BASE.replace("github_environment: production", 'github_environment: ""').replace("allow_fork_deploys: true", "allow_fork_deploys: yes-please"));
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringContaining("environments.prod.github_environment: expected the name of a GitHub environment"),
      expect.stringContaining("services.web.allow_fork_deploys: expected true or false"),
    ]);
  });
});
