import { parseConfig } from "../../src/config/load-config.js";
import { DEFAULT_RETENTION_MS } from "../../src/core/model/config.js";
import { pipelineLocation, resolveTarget } from "../../src/core/model/resolve-target.js";

const STAGING_ROLE = "arn:aws:iam::111111111111:role/whistlestop-staging";
const PROD_ROLE = "arn:aws:iam::222222222222:role/whistlestop-deploy";

const parse = (text: string) => parseConfig(text, "whistlestop.yml");
const problemsOf = (text: string): string[] => {
  const result = parse(text);
  if (result.ok) throw new Error("expected problems, got a valid config");
  return result.problems;
};
const configOf = (text: string) => {
  const result = parse(text);
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.config;
};

describe("aws settings at defaults, environment and service-environment level", () => {
  const text = `
defaults:
  aws: { region: us-east-1, role_arn: "${STAGING_ROLE}" }
environments:
  staging: {}
  prod:
    aws: { region: eu-west-1, role_arn: "${PROD_ROLE}", external_id: hfa-prod-7f3 }
services:
  donations:
    repo: hfa/donations
    environments:
      prod: { aws: { region: eu-central-1 } }
  search:
    repo: hfa/search
    environments:
      prod: { pipeline: "arn:aws:codepipeline:eu-west-1:222222222222:search-release" }
`;

  it("the nearest level wins; a region is inherited alone, a role with its own external id", () => {
    const config = configOf(text);
    expect(pipelineLocation(config, "donations", "staging")).toEqual({ name: "donations-staging", region: "us-east-1", account: "111111111111", roleArn: STAGING_ROLE });
    expect(pipelineLocation(config, "donations", "prod")).toEqual({
      name: "donations-prod",
      region: "eu-central-1",
      account: "222222222222",
      roleArn: PROD_ROLE,
      externalId: "hfa-prod-7f3",
    });
  });

  it("a pipeline ARN gives the plain name, region and account", () => {
    const config = configOf(text);
    expect(resolveTarget(config, "search", "prod")!.location).toEqual({ name: "search-release", region: "eu-west-1", account: "222222222222", roleArn: PROD_ROLE, externalId: "hfa-prod-7f3" });
    // A deploy recorded under an older name is still located with the target's settings.
    expect(pipelineLocation(config, "search", "prod", "old-search")).toMatchObject({ name: "old-search", region: "eu-west-1", roleArn: PROD_ROLE });
  });

  it("without aws settings, the process's region and credentials are used", () => {
    const config = configOf("environments: { staging: {} }\nservices: { web: { repo: hfa/web } }\n");
    expect(pipelineLocation(config, "web", "staging")).toEqual({ name: "web-staging" });
    expect(config.retentionMs).toBe(DEFAULT_RETENTION_MS);
  });

  it("rejects malformed values with what is expected", () => {
    const problems = problemsOf(`
environments:
  prod:
    aws: { region: Europe, role_arn: "arn:aws:iam::12:user/x", external_id: "x", profile: prod }
services: { web: { repo: hfa/web } }
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^whistlestop.yml:4: environments.prod.aws.region: "Europe" is not an AWS region like us-east-1/),
        expect.stringMatching(/environments.prod.aws.role_arn: ".*" is not an IAM role ARN/),
        expect.stringMatching(/environments.prod.aws.external_id: the external id must be 2 to 1224/),
        expect.stringMatching(/environments.prod.aws.profile: unknown key "profile"; expected one of region, role_arn, external_id/),
      ]),
    );
  });

  it("cross-checks: external id without a role, ARN against region and role, one name in two places", () => {
    const problems = problemsOf(`
defaults:
  pipeline: "{service}"
environments:
  staging:
    aws: { region: us-east-1, external_id: lonely-id }
  prod:
    aws: { region: eu-west-1, role_arn: "${PROD_ROLE}" }
services:
  web:
    repo: hfa/web
  api:
    repo: hfa/api
    environments:
      staging: { pipeline: "arn:aws:codepipeline:us-west-2:333333333333:api" }
      prod: { pipeline: "arn:aws:codepipeline:eu-west-1:111111111111:api-prod" }
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("environments.staging.aws.external_id: an external id is sent when assuming a role: add role_arn beside it"),
        expect.stringContaining("for api/staging, the pipeline ARN is in us-west-2 but aws.region says us-east-1"),
        expect.stringContaining("for api/prod, the pipeline ARN is in account 111111111111 but aws.role_arn is a role of account 222222222222"),
        expect.stringMatching(/defaults.pipeline: pipeline "web" for web\/prod is in eu-west-1, account 222222222222, through .*whistlestop-deploy, but the same name is in us-east-1, with Whistlestop's own credentials elsewhere; .*write full ARNs/),
      ]),
    );
  });

  it("retention is a duration of at least seven days", () => {
    const base = "environments: { staging: {} }\nservices: { web: { repo: hfa/web } }\n";
    expect(configOf(`${base}retention: 90d\n`).retentionMs).toBe(90 * 24 * 3_600_000);
    expect(problemsOf(`${base}retention: 2d\n`)).toEqual([expect.stringContaining("retention: \"2d\" is too short: keep at least 7d")]);
    expect(problemsOf(`${base}retention: forever\n`)).toEqual([expect.stringContaining('retention: expected a duration like 400d or 90d, got "forever"')]);
  });
});
