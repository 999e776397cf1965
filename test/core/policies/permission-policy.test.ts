import type { Actor } from "../../../src/core/model/actor.js";
import type { RepoPermission } from "../../../src/core/ports/source-control.js";
import { teamEntriesToCheck } from "../../../src/core/policies/access-list.js";
import { isAdmin, isListed, permissionPolicy } from "../../../src/core/policies/permission-policy.js";
import { api, github, makeConfig, policyInput, slack, target } from "./fixture.js";

const config = makeConfig();
const noTeams = new Set<string>();

describe("isListed", () => {
  const entries = ["Carol", "@hfa/engineering", "slack:U0DEPLOYER", "@dave"];
  it.each<[string, Actor, ReadonlySet<string>, boolean]>([
    ["login, case-insensitive", github("carol"), noTeams, true],
    ["login with a leading @", github("DAVE"), noTeams, true],
    ["team membership", github("erin"), new Set(["@HFA/Engineering"]), true],
    ["a team the actor is not in", github("erin"), new Set(["@hfa/design"]), false],
    ["slack id", slack("U0DEPLOYER"), noTeams, true],
    ["slack id of a mapped user", slack("U0DEPLOYER", "zed"), noTeams, true],
    ["mapped slack user by login", slack("U999", "carol"), noTeams, true],
    ["an API client named like a listed login", api("carol"), noTeams, false],
    ["an API client named like a listed team", api("@dave"), noTeams, false],
    ["nobody", github("mallory"), noTeams, false],
    ["an unmapped slack user not listed", slack("U777"), noTeams, false],
  ])("%s", (_case, actor, teams, expected) => {
    expect(isListed(entries, actor, teams)).toBe(expected);
  });

  it("an API client matches only api:<name>, and nothing else does", () => {
    expect(isListed(["api:Carol"], api("carol"), noTeams)).toBe(true);
    expect(isListed(["api:carol"], github("carol"), noTeams)).toBe(false);
    expect(isListed(["api:carol"], slack("U1", "carol"), noTeams)).toBe(false);
  });

  it("isAdmin matches the admins list the same way", () => {
    expect(isAdmin(github("SAM"), config, noTeams)).toBe(true);
    expect(isAdmin(github("erin"), config, new Set(["@hfa/sre"]))).toBe(true);
    expect(isAdmin(github("erin"), config, new Set(["@hfa/engineering"]))).toBe(false);
  });

  it("teamEntriesToCheck lists each team of the deployers and admins once", () => {
    const withDup = makeConfig({ admins: ["@hfa/sre", "@HFA/engineering", "sam"] });
    expect(teamEntriesToCheck(withDup, target(withDup, "donations", "prod"))).toEqual(["@hfa/engineering", "@hfa/sre"]);
    expect(teamEntriesToCheck(withDup)).toEqual(["@hfa/sre", "@HFA/engineering"]);
  });
});

describe("permissionPolicy", () => {
  type Case = [string, { service?: string; env?: string; actor: Actor; repoPermission?: RepoPermission; teams?: string[] }, true | RegExp];
  it.each<Case>([
    ["GitHub user with write, no deployers", { env: "staging", actor: github("dana"), repoPermission: "write" }, true],
    ["GitHub user with maintain", { env: "staging", actor: github("dana"), repoPermission: "maintain" }, true],
    ["read-only GitHub user", { env: "staging", actor: github("rita"), repoPermission: "read" }, /rita has read access to hfa\/donations; to deploy donations\/staging you need write access\. Ask a maintainer/],
    ["triage GitHub user", { env: "staging", actor: github("tia"), repoPermission: "triage" }, /triage access/],
    ["no access", { env: "staging", actor: github("nora"), repoPermission: "none" }, /none access/],
    [
      "write access that cannot be verified is refused where deployers is empty",
      { env: "staging", actor: github("dana") },
      /cannot verify that dana has write access to hfa\/donations \(GitHub did not say\), so only people named in `deployers` of staging or in `admins`/,
    ],
    ["unverified, but a listed deployer", { actor: github("carol") }, true],
    ["unverified, but an admin", { env: "staging", actor: github("sam") }, true],
    ["unverified mapped slack user", { env: "staging", actor: slack("U024BE7LH", "octocat") }, /cannot verify that octocat has write access/],
    ["deployer by team", { actor: github("erin"), repoPermission: "write", teams: ["@hfa/engineering"] }, true],
    ["deployer by login", { actor: github("carol"), repoPermission: "write" }, true],
    ["deployer by slack id, unmapped", { actor: slack("U0DEPLOYER") }, true],
    ["admin passes deployers", { actor: github("sam"), repoPermission: "admin" }, true],
    ["admin by team passes deployers", { actor: github("olga"), repoPermission: "write", teams: ["@hfa/sre"] }, true],
    [
      "write but not a deployer",
      { actor: github("mallory"), repoPermission: "write" },
      /mallory may not deploy donations\/prod: only its deployers \(@hfa\/engineering, Carol, slack:U0DEPLOYER\) and admins \(@hfa\/sre, sam, slack:U0ADMIN\) may/,
    ],
    ["a deployer still needs repo write", { actor: github("carol"), repoPermission: "read" }, /carol has read access/],
    ["mapped slack user with write", { env: "staging", actor: slack("U024BE7LH", "octocat"), repoPermission: "write" }, true],
    ["mapped slack user with read", { env: "staging", actor: slack("U024BE7LH", "octocat"), repoPermission: "read" }, /octocat has read access/],
    [
      "unmapped slack user",
      { env: "staging", actor: slack("U777") },
      /does not know your GitHub login \(Slack user U777\).*add `U777: <your-github-login>` under `people:` in whistlestop\.yml/,
    ],
    ["unmapped slack user not among prod deployers", { actor: slack("U777") }, /under `people:`/],
    ["unmapped slack admin by slack id", { env: "staging", actor: slack("U0ADMIN") }, true],
    ["API client: no repo lookup", { env: "staging", actor: api("ci-bot"), repoPermission: "none" }, true],
    ["API client not among deployers", { actor: api("ci-bot") }, /api:ci-bot may not deploy donations\/prod.*add api:ci-bot to `deployers`/],
    ["API client named like a deployer's login", { actor: api("carol") }, /api:carol may not deploy donations\/prod/],
    ["API client outside its environments", { actor: api("staging-bot") }, /api:staging-bot may not act in prod: api_clients\.staging-bot\.environments is staging/],
    ["API client outside its services", { env: "staging", service: "events", actor: api("staging-bot") }, /api_clients\.staging-bot\.services covers don\*/],
    ["undeclared API client", { env: "staging", actor: api("ghost") }, /api:ghost is not declared under api_clients/],
  ])("%s", (_case, c, expected) => {
    const cfg = makeConfig({ admins: ["@hfa/sre", "sam", "slack:U0ADMIN"] });
    const facts = policyInput({ config: cfg, service: c.service, env: c.env, actor: c.actor, repoPermission: c.repoPermission, teams: new Set(c.teams ?? []) });
    const decision = permissionPolicy(facts);
    if (expected === true) expect(decision).toEqual({ allowed: true });
    else {
      expect(decision).toMatchObject({ allowed: false, reasonCode: "permission_denied" });
      if (!decision.allowed) expect(decision.message).toMatch(expected);
    }
  });

  it("an API client listed as api:<name> passes deployers; a client in admins as api:<name> is an admin", () => {
    const listed = makeConfig({ admins: ["api:ci-bot"] });
    expect(permissionPolicy(policyInput({ config: listed, actor: api("ci-bot") }))).toEqual({ allowed: true });
    expect(isAdmin(api("ci-bot"), listed, noTeams)).toBe(true);
  });

  it("says why write access could not be verified", () => {
    const decision = permissionPolicy({ ...policyInput({ env: "staging", actor: github("dana"), repoPermission: undefined }), unverifiedBecause: "GitHub is not configured on this Whistlestop" });
    expect(!decision.allowed && decision.message).toContain("(GitHub is not configured on this Whistlestop)");
  });

  it("words the message for the action", () => {
    const decision = permissionPolicy(policyInput({ env: "staging", actor: github("rita"), repoPermission: "read" }), "roll back");
    expect(!decision.allowed && decision.message).toContain("to roll back donations/staging");
  });
});
