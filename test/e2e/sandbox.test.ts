import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SandboxSourceControl } from "../../src/adapters/source-control/sandbox-source-control.js";
import { OTHER_WORKSPACE_REPLY } from "../../src/adapters/slack/workspace-guard.js";
import { runCli } from "../../src/cli/main.js";
import type { ApiCommandResult } from "../../src/core/commands/api-command-result.js";
import type { DeployView } from "../../src/core/commands/command-result.js";
import { waitFor } from "../kit/wait-for.js";
import { testIo } from "../cli/fake-whistlestop.js";
import { FakeSlackApi } from "../slack/fake-slack-api.js";
import { sendSlashCommand } from "../slack/slack-requests.js";
import { callApi, PROJECT_ROOT, startServerProcess, type ServerProcess } from "../kit/process-helpers.js";

const SIGNING_SECRET = "sandbox-signing-secret-from-a-file";

/**
 * `npm start` = `whistlestop sandbox` as a real process: the emulator, SQLite, the printed token,
 * and refs answered from the sandbox's own repository history, exactly as GitHub would answer
 * them. Slack is on too (its secrets from files, one workspace served), to show the sandbox uses
 * real settings where they are given.
 */
describe("the sandbox (whistlestop sandbox)", () => {
  let dir: string;
  let slack: FakeSlackApi;
  let server: ServerProcess;
  let sandbox: { url: string; token: string; reviewerToken: string; startedAt: string };
  let history: SandboxSourceControl;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "whistlestop-sandbox-"));
    slack = await FakeSlackApi.start();
    writeFileSync(join(dir, "bot-token"), "xoxb-sandbox-bot\n");
    writeFileSync(join(dir, "signing-secret"), `${SIGNING_SECRET}\n`);
    server = await startServerProcess(
      {
        WHISTLESTOP_DATA_DIR: join(dir, "data"),
        WHISTLESTOP_DB: join(dir, "whistlestop.db"),
        PORT: "0",
        EMULATOR_STEP_MS: "25",
        SLACK_BOT_TOKEN_FILE: join(dir, "bot-token"),
        SLACK_SIGNING_SECRET_FILE: join(dir, "signing-secret"),
        SLACK_TEAM_ID: "T0WHISTLE",
        SLACK_API_URL: slack.apiUrl,
      },
      30_000,
      "sandbox",
    );
    sandbox = JSON.parse(readFileSync(join(dir, "data", "sandbox.json"), "utf8")) as typeof sandbox;
    // The same history the server answers from: same repository, same start.
    history = new SandboxSourceControl({ startedAt: new Date(sandbox.startedAt), now: () => new Date() });
  });
  afterAll(async () => {
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deploy = async (text: string) => (await callApi<ApiCommandResult>(`${sandbox.url}/api/v1/commands`, sandbox.token, { body: { text } })).body;

  test("npm start runs it, and it says it is the sandbox", () => {
    const scripts = (JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe("node bin/whistlestop.js sandbox");
    const banner = server.lines.join("\n");
    expect(banner).toContain("Whistlestop is running in sandbox mode");
    expect(banner).toContain("slack      on (HTTP at /slack/events)");
    expect(banner).toContain(`API token  ${sandbox.token}`);
    expect(banner).not.toContain(SIGNING_SECRET);
  });

  test("the README's first command: `whistlestop deploy donations staging` deploys the head of main to the end", async () => {
    const io = testIo({ env: { WHISTLESTOP_DATA_DIR: join(dir, "data") } });
    const code = await runCli(["deploy", "donations", "staging"], io);
    const main = (await history.defaultBranchHead("whistlestop-demo/donations"))!;
    expect(io.stderr.text).toBe("");
    expect(code).toBe(0);
    expect(io.stdout.text).toContain(`Deploy of donations/staging at ${main.slice(0, 7)} (default branch) started`);
    expect(io.stdout.text).toMatch(/✔ succeeded in .* — artifact ami-[0-9a-f]{17}/);
  });

  test("the sandbox's token may read the audit log: `whistlestop audit` lists what was done", async () => {
    await deploy("deploy donations staging");
    const io = testIo({ env: { WHISTLESTOP_DATA_DIR: join(dir, "data") } });
    const code = await runCli(["audit", "--service", "donations"], io);
    expect(io.stderr.text).toBe("");
    expect(code).toBe(0);
    expect(io.stdout.text).toMatch(/api:sandbox\s+api\s+deploy\s+donations\/staging/);
  });

  test("a deploy to voter-protection prod waits for an approval, which the sandbox's reviewer gives with `whistlestop approve`", async () => {
    expect(server.lines.join("\n")).toContain(`reviewer   ${sandbox.reviewerToken}`);
    const env = { WHISTLESTOP_DATA_DIR: join(dir, "data") };
    const staging = testIo({ env });
    expect(await runCli(["deploy", "voter-protection", "staging"], staging)).toBe(0);
    const asked = await deploy("deploy voter-protection prod --yes");
    expect(asked).toMatchObject({ outcome: "waiting", deploy: { state: "awaiting_approval", approval: { required: 1 } } });
    expect(asked.message).toContain("needs 1 approval from @whistlestop-demo/sre, api:reviewer");
    // The token that asked cannot approve its own deploy.
    const own = testIo({ env });
    expect(await runCli(["approve", asked.deploy!.id], own)).toBe(2);
    expect(own.stderr.text).toContain("Refused (permission_denied)");
    const reviewer = testIo({ env: { ...env, WHISTLESTOP_TOKEN: sandbox.reviewerToken } });
    expect(await runCli(["approve", asked.deploy!.id, "--no-follow"], reviewer)).toBe(0);
    expect(reviewer.stdout.text).toMatch(/Approved by api:reviewer .* started\./);
    // Prod is verified (verify in the example config): its pipeline succeeds, then its alarms are watched.
    const verifying = await waitFor("the approved deploy to verify its alarms", async () => {
      const view = (await callApi<DeployView>(`${sandbox.url}/api/v1/deploys/${asked.deploy!.id}`, sandbox.token)).body;
      return view.state === "verifying" ? view : undefined;
    });
    expect(verifying.verification).toMatchObject({ alarms: ["campaign-5xx-rate"], onAlarm: "rollback" });
  });

  test("`whistlestop sandbox alarm` sets an alarm that a verifying prod deploy sees: one firing since before the deploy is held, not failed at once", async () => {
    const env = { WHISTLESTOP_DATA_DIR: join(dir, "data") };
    const set = testIo({ env });
    expect(await runCli(["sandbox", "alarm", "donations-5xx-rate", "ALARM"], set)).toBe(0);
    expect(set.stdout.text).toContain("Alarm donations-5xx-rate is ALARM in the sandbox");
    const unknownState = testIo({ env });
    expect(await runCli(["sandbox", "alarm", "donations-5xx-rate", "RED"], unknownState)).toBe(3);
    expect(unknownState.stderr.text).toContain("usage: whistlestop sandbox alarm <name> ALARM|OK");

    expect(await runCli(["deploy", "donations", "staging", "v1.0.0"], testIo({ env }))).toBe(0);
    const prod = await deploy("deploy donations prod --yes");
    expect(prod.outcome).toBe("started");
    // In ALARM since before the deploy started (as for a rollback of the release that set it off):
    // the deploy has its period to see it clear. One that fires during verification fails it at the
    // next check, 30 s on (test/e2e/verify-alarms.test.ts drives that on a clock of its own).
    const held = await waitFor("the prod deploy to hold the alarm that was already firing", async () => {
      const view = (await callApi<DeployView>(`${sandbox.url}/api/v1/deploys/${prod.deploy!.id}`, sandbox.token)).body;
      return view.verification?.holding ? view : undefined;
    });
    expect(held).toMatchObject({ state: "verifying", verification: { holding: ["donations-5xx-rate"] } });
    expect(await runCli(["sandbox", "alarm", "donations-5xx-rate", "OK"], testIo({ env }))).toBe(0);
    const stop = testIo({ env });
    expect(await runCli(["cancel", "donations", "prod"], stop)).toBe(0);
    expect(stop.stdout.text).toContain("counts as succeeded, unverified");
  });

  test("branches, tags and short shas resolve to the commits of the repository's history", async () => {
    const repo = (service: string) => `whistlestop-demo/${service}`;
    const feature = await deploy("deploy events staging feature/faster-checkout");
    expect(feature.deploy?.sha).toBe(await history.resolveRef(repo("events"), "feature/faster-checkout"));
    const tag = await deploy("deploy call-tool staging v1.1.0");
    expect(tag.deploy?.sha).toBe(await history.resolveRef(repo("call-tool"), "v1.1.0"));
    const v1 = (await history.resolveRef(repo("email-signup"), "v1.0.0"))!;
    const short = await deploy(`deploy email-signup staging ${v1.slice(0, 7)}`);
    expect(short.deploy).toMatchObject({ sha: v1 });
    expect(new Set([feature.deploy?.sha, tag.deploy?.sha, v1]).size).toBe(3);
  });

  test("an unknown branch, or a sha that is not in the history, is bad_ref as on GitHub", async () => {
    const branch = await deploy("deploy donations staging nosuchbranch");
    expect(branch).toMatchObject({ outcome: "refused", reasonCode: "bad_ref" });
    expect(branch.message).toContain("Could not find `nosuchbranch` in whistlestop-demo/donations");
    expect(branch.message).toContain("feature/faster-checkout");
    expect(await deploy("deploy donations staging 0123456789abcdef0123456789abcdef01234567")).toMatchObject({ outcome: "refused", reasonCode: "bad_ref" });
  });

  test("Slack settings from files work in the sandbox, and SLACK_TEAM_ID keeps other workspaces out", async () => {
    const fields = { command: "/deploy", text: "help", userId: "U024BE7LH", responseUrl: slack.responseUrl("sandbox") };
    const other = await sendSlashCommand(sandbox.url, { ...fields, teamId: "T0INTRUDER" }, { secret: SIGNING_SECRET });
    expect(other.status).toBe(200);
    expect(JSON.parse(other.text)).toMatchObject({ text: OTHER_WORKSPACE_REPLY });
    const home = await sendSlashCommand(sandbox.url, fields, { secret: SIGNING_SECRET });
    expect(home).toMatchObject({ status: 200, text: "" });
    const answer = await slack.waitFor("respond", (c) => c.args.url === new URL(fields.responseUrl).pathname);
    expect(String(answer.args.text)).toContain("deploy");
    expect(slack.of("respond")).toHaveLength(1);
  });
});
