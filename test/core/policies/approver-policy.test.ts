import type { Actor } from "../../../src/core/model/actor.js";
import type { ApprovalSettings, WhistlestopConfig } from "../../../src/core/model/config.js";
import { approverPolicy, isRequester, type ApproverFacts } from "../../../src/core/policies/approver-policy.js";
import type { RepoPermission } from "../../../src/core/ports/source-control.js";
import { api, github, makeConfig, runningDeploy, slack, target } from "./fixture.js";

/** donations/prod asks for approvals; `from` as given (absent: its deployers @hfa/engineering, Carol, slack:U0DEPLOYER). */
function configWith(approvals: ApprovalSettings): WhistlestopConfig {
  const config = makeConfig();
  return { ...config, environments: { ...config.environments, prod: { ...config.environments.prod!, approvals } } };
}

const requestedBy = (fields: Parameters<typeof runningDeploy>[0]) => runningDeploy({ service: "donations", env: "prod", state: "awaiting_approval", ...fields });

function facts(actor: Actor, options: { approvals?: ApprovalSettings; teams?: string[]; repoPermission?: RepoPermission; deploy?: ApproverFacts["deploy"] } = {}): ApproverFacts {
  const config = configWith(options.approvals ?? { required: 1, from: ["@hfa/sre", "rita", "slack:U0REVIEW1", "api:reviewer"], expiresMs: 3_600_000 });
  return {
    config,
    target: target(config, "donations", "prod"),
    actor,
    teams: new Set(options.teams ?? []),
    ...(options.repoPermission ? { repoPermission: options.repoPermission } : {}),
    deploy: options.deploy ?? requestedBy({ actor: "dana", actorLogin: "dana", actorKey: "login:dana", surface: "github" }),
  };
}

const verdict = (f: ApproverFacts) => {
  const decision = approverPolicy(f);
  return decision.allowed ? "allowed" : decision.reasonCode;
};

describe("approver rules", () => {
  test.each<[string, string, Actor, string[]]>([
    ["a login listed in from", "allowed", github("Rita"), []],
    ["a member of a team listed in from", "allowed", github("sam-sre"), ["@hfa/sre"]],
    ["a Slack user listed as slack:U…, even unmapped", "allowed", slack("U0REVIEW1"), []],
    ["an API client listed as api:<name>", "allowed", api("reviewer"), []],
    ["an admin who is not in from", "not_an_approver", github("sam"), []],
    ["a deployer who is not in from", "not_an_approver", github("carol"), ["@hfa/engineering"]],
    ["an API client named like a listed person", "not_an_approver", api("rita"), []],
    ["a team member whose team is not listed", "not_an_approver", github("eve"), ["@hfa/engineering"]],
  ])("from lists approvers: %s → %s", (_case, expected, actor, teams) => {
    expect(verdict(facts(actor, { teams }))).toBe(expected);
  });

  test("never the requester, compared by key and login, whatever their display name or surface", () => {
    const deploy = requestedBy({ actor: "Rita R.", actorLogin: "rita", actorKey: "login:rita", surface: "slack" });
    expect(approverPolicy(facts(github("RITA"), { deploy }))).toMatchObject({ allowed: false, reasonCode: "self_approval" });
    expect(verdict(facts(slack("U0RITA001", "rita"), { deploy }))).toBe("self_approval");
    // Another person whose display name happens to be the requester's is not the requester.
    expect(verdict(facts({ surface: "slack", name: "Rita R.", login: "rita-other", slackUserId: "U0OTHER01" }, { deploy, approvals: { required: 1, from: ["rita-other"], expiresMs: 1 } }))).toBe("allowed");
  });

  test("an unmapped Slack requester is recognised by their Slack id; an API client by its key", () => {
    const bySlack = requestedBy({ actor: "U0REVIEW1", surface: "slack", actorKey: "slack:U0REVIEW1" });
    expect(isRequester(bySlack, slack("U0REVIEW1"))).toBe(true);
    expect(verdict(facts(slack("U0REVIEW1"), { deploy: bySlack }))).toBe("self_approval");
    const byClient = requestedBy({ actor: "api:reviewer", surface: "api", actorKey: "api:reviewer" });
    expect(verdict(facts(api("reviewer"), { deploy: byClient }))).toBe("self_approval");
    expect(verdict(facts(github("rita"), { deploy: byClient }))).toBe("allowed");
  });

  test("without from, whoever may deploy there approves: its deployers and admins, with verified write access", () => {
    const noFrom = { required: 1, expiresMs: 3_600_000 };
    expect(verdict(facts(github("carol"), { approvals: noFrom, repoPermission: "write" }))).toBe("allowed");
    expect(verdict(facts(github("sam"), { approvals: noFrom, repoPermission: "admin" }))).toBe("allowed");
    expect(verdict(facts(github("eve"), { approvals: noFrom, repoPermission: "write" }))).toBe("not_an_approver");
    expect(verdict(facts(github("carol"), { approvals: noFrom, repoPermission: "read" }))).toBe("not_an_approver");
    const denied = approverPolicy(facts(github("eve"), { approvals: noFrom, repoPermission: "write" }));
    expect(denied).toMatchObject({ reasonCode: "not_an_approver", message: expect.stringContaining("may not approve deploys of donations/prod") });
  });

  test("the refusal says who may approve instead", () => {
    expect(approverPolicy(facts(github("eve")))).toMatchObject({ message: expect.stringContaining("its approvers are @hfa/sre, rita, slack:U0REVIEW1, api:reviewer") });
    const self = approverPolicy(facts(github("dana")));
    expect(self).toMatchObject({ reasonCode: "self_approval", message: expect.stringContaining("ask @hfa/sre, rita, slack:U0REVIEW1, api:reviewer to approve it") });
  });
});
