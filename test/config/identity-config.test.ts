import { parseConfig } from "../../src/config/load-config.js";

const base = [
  "environments:",
  "  staging: {}",
  "  prod:",
  "    deployers: [api:ci, api:deployer-bot]",
  "services:",
  "  donations:",
  "    repo: hfa/donations",
];
const problemsOf = (...more: string[]): string[] => {
  const result = parseConfig(`${[...base, ...more].join("\n")}\n`, "whistlestop.yml");
  return result.ok ? [] : result.problems;
};

describe("identity in whistlestop.yml", () => {
  it("two Slack users mapped to one GitHub login is an error at the second entry's line", () => {
    expect(problemsOf("people:", "  U024BE7LH: octocat", "  U0SECOND1: OctoCat", "api_clients:", "  ci: { may: [deploy], environments: [staging] }", "  deployer-bot: { may: [deploy], environments: [prod] }")).toEqual([
      'whistlestop.yml:10: people.U0SECOND1: GitHub login "OctoCat" is already mapped to U024BE7LH; each login belongs to one Slack user. Remove one of the two entries (a person with two Slack accounts can use /deploy link from the other).',
    ]);
  });

  it("api_clients: verbs, services and environments are checked, and api:<name> entries must name a declared client", () => {
    expect(
      problemsOf(
        "admins: [api:release]",
        "api_clients:",
        "  ci:",
        "    may: [deploy, launch]",
        "    services: [donatoins]",
        "    environments: [staging, qa]",
        "    team: payments",
        "  deployer-bot: { may: [deploy] }",
      ),
    ).toEqual([
      'whistlestop.yml:8: admins[0]: "api:release" names no API client: declare release under api_clients',
      'whistlestop.yml:11: api_clients.ci.may[1]: expected one of deploy, rollback, lock, unlock, cancel, check, approve, reject, got "launch"',
      'whistlestop.yml:14: api_clients.ci.team: unknown key "team"; expected one of may, services, environments',
      "whistlestop.yml:15: api_clients.deployer-bot.environments: required: a list of environment names, e.g. [staging]",
    ]);
  });

  it("a client's services and environments must exist (globs may match nothing yet)", () => {
    expect(problemsOf("api_clients:", "  ci: { may: [deploy], services: [donatoins, \"ev*\"], environments: [staging, qa] }", "  deployer-bot: { may: [deploy], environments: [prod] }")).toEqual([
      'whistlestop.yml:9: api_clients.ci.environments[1]: unknown environment "qa"; defined: staging, prod',
      'whistlestop.yml:9: api_clients.ci.services[0]: unknown service "donatoins" (did you mean "donations"?); use a service name or a glob like "*"',
    ]);
  });

  it("a valid api_clients section becomes the core's scopes; services default to every service", () => {
    const result = parseConfig(`${[...base, "api_clients:", "  ci: { may: [deploy, check], environments: [staging] }", "  deployer-bot: { may: [deploy], services: [\"don*\"], environments: [prod] }"].join("\n")}\n`, "whistlestop.yml");
    expect(result.ok && result.config.apiClients).toEqual({
      ci: { may: ["deploy", "check"], services: ["*"], environments: ["staging"] },
      "deployer-bot": { may: ["deploy"], services: ["don*"], environments: ["prod"] },
    });
  });
});
