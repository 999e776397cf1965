import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ApiCommandResult } from "../../src/core/commands/api-command-result.js";
import type { DeployView } from "../../src/core/commands/command-result.js";
import { callApi, exampleConfigWithCi, type ServerProcess } from "../kit/process-helpers.js";
import { waitFor } from "../kit/wait-for.js";
import { cardOf, executionsOf, repliesOn } from "./report-checks.js";
import { useRestartRig } from "./restart-rig.js";
import { API_TOKEN } from "./server-with-fakes.js";

const GOOD = "0123456789abcdef0123456789abcdef01234567";
const BAD = "89abcdef0123456789abcdef0123456789abcdef";
const ANNOUNCE = "C0DEPLOYS";

/**
 * on_failure: rollback against a real kill -9. A `whistlestop start` process (Slack, GitHub and
 * CodePipeline configured; the emulator on a manual clock) stores a failed Deploy stage, and
 * Slack holds the failure's thread reply: the failure is stored, its report is unfinished, and the
 * rollback (which follows the report) has not started. The process is killed there. A new process
 * on the same SQLite file must start exactly one rollback, which succeeds, announced once.
 */
describe("kill -9 between a failed Deploy stage and its automatic rollback", () => {
  const rig = useRestartRig();
  const start = () => {
    const config = join(rig.fakes.dir, "whistlestop-rollback.yml");
    writeFileSync(config, readFileSync(exampleConfigWithCi(), "utf8").replace("  staging: {}", "  staging: { on_failure: rollback }"));
    // A short lease: the restarted server takes over the dead one's deploys within seconds.
    return rig.start({ extra: { WHISTLESTOP_CONFIG: config, WHISTLESTOP_LEASE_MS: "3000", WHISTLESTOP_SWEEP_MS: "500" } });
  };
  const command = async (server: ServerProcess, text: string) => (await callApi<ApiCommandResult>(`${server.url}/api/v1/commands`, API_TOKEN, { body: { text } })).body;
  const deploys = async (server: ServerProcess) => (await callApi<{ deploys: DeployView[] }>(`${server.url}/api/v1/deploys?service=donations&env=staging`, API_TOKEN)).body.deploys;
  const deploy = async (server: ServerProcess, id: string) => (await callApi<DeployView & { rollbackOf?: string }>(`${server.url}/api/v1/deploys/${id}`, API_TOKEN)).body;
  const announcements = () => rig.fakes.slack.of("chat.postMessage", (c) => c.args.channel === ANNOUNCE && String(c.args.text).includes("Automatic rollback"));

  test("the restarted server starts the one rollback, which succeeds, and announces it once", async () => {
    const first = await start();
    const good = (await command(first, `deploy donations staging ${GOOD}`)).deploy!.id;
    await rig.runPipelinesUntil("the good release to go live", async () => (await deploy(first, good)).state === "succeeded");

    rig.emulator.failStage({ stage: "Deploy", pipeline: "donations-staging", sha: BAD, message: "CodeDeploy: health checks failed" });
    const failureReply = rig.fakes.slack.hold("chat.postMessage", (args) => args.thread_ts !== undefined && String(args.text).startsWith("❌ Failed"));
    const bad = (await command(first, `deploy donations staging ${BAD}`)).deploy!.id;
    await rig.runPipelinesUntil("the failure to be stored", async () => (await deploy(first, bad)).state === "failed");
    await waitFor("the failure's thread reply to be on its way", () => failureReply.count() > 0 || undefined);
    // The window: failed in the store, its report unfinished, no rollback asked for.
    expect((await deploys(first)).filter((d) => d.id !== good && d.id !== bad)).toHaveLength(0);

    expect((await first.stop("SIGKILL")).signal).toBe("SIGKILL");
    failureReply.drop();
    expect(rig.emulator.stats().calls.RollbackStage ?? 0).toBe(0);

    const second = await start();
    const rollbackId = await waitFor("the restarted server to start the rollback", async () => (await deploys(second)).find((d) => d.id !== good && d.id !== bad)?.id);
    await rig.runPipelinesUntil("the rollback to succeed", async () => (await deploy(second, rollbackId)).state === "succeeded");
    expect(await deploy(second, rollbackId)).toMatchObject({ state: "succeeded", sha: GOOD, actor: "whistlestop" });
    await waitFor("the rollback's success reply", () => repliesOn(rig.fakes.slack, cardOf(rig.fakes.slack, rollbackId).ts, "Rolled back").length > 0 || undefined);
    await rig.runPipelinesUntil("a few more sweeps", async () => (await deploy(second, bad)).state === "failed");

    expect((await deploys(second)).map((d) => d.id).sort()).toEqual([good, bad, rollbackId].sort());
    expect(rig.emulator.stats().calls.RollbackStage).toBe(1);
    expect(executionsOf(rig.emulator, bad)).toHaveLength(1);
    expect(announcements()).toHaveLength(1);
    expect(String(announcements()[0]!.args.text)).toBe(
      `↩️ *Automatic rollback:* deploy \`${bad}\` of \`${BAD.slice(0, 7)}\` to donations/staging failed, so whistlestop started a rollback to \`${GOOD.slice(0, 7)}\`, the last good release (deploy \`${rollbackId}\`).`,
    );

    // A second restart finds nothing left to do: still one rollback, one announcement.
    await second.stop("SIGTERM");
    const third = await start();
    await rig.runPipelinesUntil("the third server to catch up", async () => (await deploys(third)).length === 3);
    expect(rig.emulator.stats().calls.RollbackStage).toBe(1);
    expect(announcements()).toHaveLength(1);
  }, 60_000);
});
