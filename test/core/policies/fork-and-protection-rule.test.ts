import { mapGitHubEnvironment, reviewProtectionRule } from "../../../src/core/commands/review-protection-rule.js";
import { forkPolicy } from "../../../src/core/policies/fork-policy.js";
import { testConfig } from "../harness.js";

const NOW = new Date("2026-11-27T15:00:00Z");

describe("forkPolicy", () => {
  const config = testConfig();
  const target = { service: "donations", repo: "hfa/donations" };
  test.each([
    ["not on a pull request", {}, true],
    ["on a branch of the repository itself (case does not matter)", { baseRepo: "hfa/donations", head: { repo: "HFA/Donations" } }, true],
    ["on a fork", { baseRepo: "hfa/donations", head: { repo: "mallory/donations" } }, false],
    ["on a deleted fork", { baseRepo: "hfa/donations", head: { repo: null } }, false],
    ["on a fork, no base given: the target's repository is the base", { head: { repo: "mallory/donations" } }, false],
  ])("%s → allowed: %s", (_case, origin, allowed) => {
    expect(forkPolicy(config, target, origin).allowed).toBe(allowed);
  });

  test("a service with allowForkDeploys lets forks through; the refusal says how", () => {
    const open = testConfig({ services: { ...config.services, donations: { ...config.services.donations!, allowForkDeploys: true } } });
    expect(forkPolicy(open, target, { head: { repo: "mallory/donations" } }).allowed).toBe(true);
    expect(forkPolicy(config, target, { head: { repo: "mallory/donations" } })).toMatchObject({
      reasonCode: "fork_not_allowed",
      message: expect.stringContaining("a fork (mallory/donations)"),
    });
  });
});

describe("reviewProtectionRule", () => {
  const base = testConfig();
  const config = testConfig({
    environments: { ...base.environments, prod: { ...base.environments.prod!, githubEnvironment: "Production" } },
    services: { ...base.services, events: { ...base.services.events!, environments: { prod: { githubEnvironment: "live" } } } },
  });

  test("maps GitHub environment names without regard to case, a service's own mapping first", () => {
    expect(mapGitHubEnvironment(config, "HFA/Donations", "PRODUCTION").targets.map((t) => `${t.service}/${t.env}`)).toEqual(["donations/prod"]);
    expect(mapGitHubEnvironment(config, "hfa/events", "production").targets).toEqual([]);
    expect(mapGitHubEnvironment(config, "hfa/events", "live").targets.map((t) => t.env)).toEqual(["prod"]);
    expect(mapGitHubEnvironment(config, "hfa/donations", "staging").targets.map((t) => t.env)).toEqual(["staging"]);
  });

  test.each([
    ["an unmapped environment", "hfa/donations", "prod", "rejected", "unmapped_environment"],
    ["an unknown repository", "hfa/unknown", "production", "rejected", "unknown_repository"],
    ["a mapped environment with nothing in the way", "hfa/donations", "production", "approved", "clear"],
  ])("%s → %s (%s)", (_case, repo, githubEnvironment, state, basis) => {
    expect(reviewProtectionRule(config, { repo, githubEnvironment }, NOW, [])).toMatchObject({ state, basis });
  });

  test("locks that cannot be read reject (fail closed)", () => {
    expect(reviewProtectionRule(config, { repo: "hfa/donations", githubEnvironment: "production" }, NOW, undefined)).toMatchObject({ state: "rejected", basis: "store_unavailable" });
  });
});
