import { parseConfig } from "../../src/config/load-config.js";
import { resolveTarget } from "../../src/core/model/resolve-target.js";

const base = ["environments:", "  staging: {}", "  prod:", "    deployers: ['@hfa/payments']"];
const services = ["services:", "  donations:", "    repo: hfa/donations"];
const parse = (envLines: string[], more: string[] = []) => parseConfig(`${[...base, ...envLines, ...services, ...more].join("\n")}\n`, "whistlestop.yml");
const problemsOf = (envLines: string[], more: string[] = []): string[] => {
  const result = parse(envLines, more);
  return result.ok ? [] : result.problems;
};

describe("approvals and announce_channel in whistlestop.yml", () => {
  it("an environment's approvals become the target's: from is optional, expires defaults to 1h", () => {
    const result = parse(["    approvals: { required: 1 }"]);
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(resolveTarget(result.config, "donations", "prod")!.approvals).toEqual({ required: 1, expiresMs: 3_600_000 });
    expect(resolveTarget(result.config, "donations", "staging")!.approvals).toBeUndefined();
  });

  it("a service's environment replaces the environment's approvals whole", () => {
    const result = parse(
      ["    approvals: { required: 2, from: ['@hfa/sre'], expires: 2h }"],
      ["    environments:", "      prod:", "        approvals: { required: 1, from: [alice, 'slack:U0ALEXSRE', api:reviewer], expires: 30m }", "api_clients:", "  reviewer: { may: [approve], environments: [prod] }", "announce_channel: C0DEPLOYS"],
    );
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(resolveTarget(result.config, "donations", "prod")!.approvals).toEqual({ required: 1, from: ["alice", "slack:U0ALEXSRE", "api:reviewer"], expiresMs: 1_800_000 });
    expect(result.config.announceChannel).toBe("C0DEPLOYS");
  });

  it("bad values are errors naming the line and the field, and nothing loads", () => {
    expect(problemsOf(["    approvals: { required: 0, from: [], expires: soon, who: me }"], ["announce_channel: '#deploys'"])).toEqual([
      "whistlestop.yml:5: environments.prod.approvals.required: required must be at least 1 (leave approvals out for none)",
      "whistlestop.yml:5: environments.prod.approvals.from: from must name at least one approver; leave it out to let the environment's deployers approve",
      'whistlestop.yml:5: environments.prod.approvals.expires: expected a duration like 30m, 1h or 1h30m, got "soon"',
      'whistlestop.yml:5: environments.prod.approvals.who: unknown key "who"; expected one of required, from, expires',
      'whistlestop.yml:9: announce_channel: "#deploys" is not a Slack channel id (C… or G…; not the #name — copy it from the channel details)',
    ]);
    expect(problemsOf(["    approvals: { required: 1.5, expires: 30s }"])).toEqual([
      "whistlestop.yml:5: environments.prod.approvals.required: expected a whole number of approvals from 1 to 10",
      'whistlestop.yml:5: environments.prod.approvals.expires: "30s" is too short: give approvers at least 1m',
    ]);
    expect(problemsOf(["    approvals: { expires: 8d }"])).toEqual([
      "whistlestop.yml:5: environments.prod.approvals.required: required: a whole number of approvals from 1 to 10",
      'whistlestop.yml:5: environments.prod.approvals.expires: "8d" is too long: at most 7d, a request older than that is stale',
    ]);
  });

  it("from entries are access entries, api:<name> must be declared, and required cannot exceed the people named", () => {
    expect(problemsOf(["    approvals: { required: 2, from: [alice, 'not a login', api:ghost] }"])).toEqual([
      'whistlestop.yml:5: environments.prod.approvals.from[1]: "not a login" is not a GitHub login, an @org/team, slack:U… (a Slack user id) or api:<client> (an api_clients name)',
    ]);
    expect(problemsOf(["    approvals: { required: 2, from: [alice, api:ghost] }"])).toEqual([
      'whistlestop.yml:5: environments.prod.approvals.from[1]: "api:ghost" names no API client: declare ghost under api_clients',
    ]);
    expect(problemsOf(["    approvals: { required: 3, from: [alice, Alice, bob] }"])).toEqual([
      "whistlestop.yml:5: environments.prod.approvals.required: 3 approvals are required but from names only 3 approver(s) and no team; no deploy could ever be approved. Lower required or add approvers.",
    ]);
    expect(problemsOf(["    approvals: { required: 3, from: [alice, '@hfa/sre'] }"])).toEqual([]);
  });
});
