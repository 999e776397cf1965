import { createAwsPipeline } from "../../src/adapters/codepipeline/aws-pipeline.js";
import type { RoutingPipeline } from "../../src/adapters/codepipeline/routing-pipeline.js";
import { loadTestConfig, startTestApp, type TestApp } from "../kit/test-app.js";

/**
 * Staging and prod of one service live in two AWS accounts and regions: each environment's calls
 * go through its own assumed role, and the emulator (which places each pipeline in its account and
 * region, and remembers which role each set of credentials belongs to) says what every call carried.
 */
const STAGING_ROLE = "arn:aws:iam::111111111111:role/whistlestop-staging";
const PROD_ROLE = "arn:aws:iam::222222222222:role/whistlestop-deploy";
const EVENTS_TOKEN = "events-token-0123456789";
const CONFIG = `
environments:
  staging:
    aws: { region: us-east-1, role_arn: "${STAGING_ROLE}" }
  prod:
    aws: { region: eu-west-1, role_arn: "${PROD_ROLE}", external_id: hfa-prod-7f3 }
services:
  donations:
    repo: hfa/donations
`;

describe("AWS accounts and regions per environment", () => {
  let t: TestApp;
  let pipeline: RoutingPipeline;

  beforeEach(async () => {
    const config = loadTestConfig(CONFIG);
    t = await startTestApp({
      config,
      pipelineEventsToken: EVENTS_TOKEN,
      pipeline: (url) => {
        pipeline = createAwsPipeline(config, {
          endpoint: url,
          stsEndpoint: url,
          credentials: { accessKeyId: "AKIABASEKEY", secretAccessKey: "base-secret" },
          maxAttempts: 2,
          random: () => 0,
        });
        return pipeline;
      },
    });
    t.emulator.emulator.sts.setRoles({ [STAGING_ROLE]: {}, [PROD_ROLE]: { externalId: "hfa-prod-7f3" } });
  });
  afterEach(async () => {
    await t.close();
  });

  test("staging and prod deploy through their own roles, regions and accounts", async () => {
    const staging = await t.command("deploy donations staging");
    const prod = await t.command("deploy donations prod");
    expect([staging.outcome, prod.outcome]).toEqual(["started", "started"]);
    expect((await t.runDeploy(staging.deploy!.id)).state).toBe("succeeded");
    expect((await t.runDeploy(prod.deploy!.id)).state).toBe("succeeded");

    const emulator = t.emulator.emulator;
    const carried = (name: string) => new Set(emulator.callRecords().filter((r) => r.pipelineName === name).map((r) => `${r.roleArn} ${r.account} ${r.region}`));
    expect(carried("donations-staging")).toEqual(new Set([`${STAGING_ROLE} 111111111111 us-east-1`]));
    expect(carried("donations-prod")).toEqual(new Set([`${PROD_ROLE} 222222222222 eu-west-1`]));
    const startedWith = emulator.callRecords().filter((r) => r.operation === "StartPipelineExecution").map((r) => [r.pipelineName, r.roleArn]);
    expect(startedWith).toEqual([
      ["donations-staging", STAGING_ROLE],
      ["donations-prod", PROD_ROLE],
    ]);
    // Each role was assumed with the base credentials, prod with its external id; one client per (region, role).
    const assumed = emulator.sts.assumeRoleCalls();
    expect(new Set(assumed.map((c) => `${c.roleArn} ${c.externalId ?? "-"} ${c.callerAccessKeyId}`))).toEqual(
      new Set([`${STAGING_ROLE} - AKIABASEKEY`, `${PROD_ROLE} hfa-prod-7f3 AKIABASEKEY`]),
    );
    expect(pipeline.clientCount()).toBe(2);
  });

  test("EventBridge events forwarded from both accounts reach the deploy of their own account and region only", async () => {
    const staging = await t.command("deploy donations staging");
    const prod = await t.command("deploy donations prod");
    const executionOf = async (id: string) => (await t.store.getDeploy(id))!.executionId!;
    const send = async (account: string, region: string, pipeline: string, executionId: string) => {
      const response = await fetch(`${t.url}/api/pipeline-events`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Whistlestop-Token": EVENTS_TOKEN },
        body: JSON.stringify({
          source: "aws.codepipeline",
          "detail-type": "CodePipeline Stage Execution State Change",
          account,
          region,
          resources: [`arn:aws:codepipeline:${region}:${account}:${pipeline}`],
          detail: { pipeline, "execution-id": executionId, stage: "Bake", state: "STARTED" },
        }),
      });
      return ((await response.json()) as { accepted: boolean }).accepted;
    };
    const prodExecution = await executionOf(prod.deploy!.id);
    const stagingExecution = await executionOf(staging.deploy!.id);
    expect(await send("222222222222", "eu-west-1", "donations-prod", prodExecution)).toBe(true);
    expect(await send("111111111111", "us-east-1", "donations-staging", stagingExecution)).toBe(true);
    // The same execution id claimed by another account, region or pipeline is not this deploy's.
    expect(await send("111111111111", "eu-west-1", "donations-prod", prodExecution)).toBe(false);
    expect(await send("222222222222", "us-east-1", "donations-prod", prodExecution)).toBe(false);
    expect(await send("222222222222", "eu-west-1", "donations-staging", prodExecution)).toBe(false);
  });

  test("a role that cannot be assumed fails only its environment's deploy, naming the role; the next deploy tries again", async () => {
    t.emulator.emulator.sts.setRoles({ [STAGING_ROLE]: {} });
    const prod = await t.command("deploy donations prod");
    const failed = await t.runDeploy(prod.deploy!.id);
    expect(failed.state).toBe("failed");
    expect(failed.error).toContain(`could not assume ${PROD_ROLE}`);
    expect(failed.error).toContain("external id");
    // Never with other credentials: no CodePipeline call for prod was made at all.
    expect(t.emulator.emulator.callRecords().filter((r) => r.pipelineName === "donations-prod")).toEqual([]);

    const staging = await t.command("deploy donations staging");
    expect((await t.runDeploy(staging.deploy!.id)).state).toBe("succeeded");

    t.emulator.emulator.sts.setRoles({ [STAGING_ROLE]: {}, [PROD_ROLE]: { externalId: "hfa-prod-7f3" } });
    const again = await t.command("deploy donations prod");
    expect((await t.runDeploy(again.deploy!.id)).state).toBe("succeeded");
  });

  test("credentials close to expiry are replaced before a call uses them", async () => {
    // The SDK refreshes credentials that expire within five minutes: with four-minute credentials
    // every call assumes the role again, and none is ever signed with credentials about to lapse.
    t.emulator.emulator.sts.credentialLifetimeMs = 4 * 60_000;
    const staging = await t.command("deploy donations staging");
    await t.runDeploy(staging.deploy!.id);
    const calls = t.emulator.emulator.callRecords().filter((r) => r.pipelineName === "donations-staging");
    const keys = new Set(calls.map((r) => r.accessKeyId));
    expect(calls.length).toBeGreaterThan(2);
    expect(keys.size).toBeGreaterThan(1);
    expect(calls.every((r) => r.roleArn === STAGING_ROLE)).toBe(true);
  });
});
