import { openStore } from "../../src/adapters/store/open-store.js";
import type { ApiCommandResult } from "../../src/core/commands/api-command-result.js";
import type { DeployView } from "../../src/core/commands/command-result.js";
import { callApi, type ServerProcess } from "../kit/process-helpers.js";
import { waitFor } from "../kit/wait-for.js";
import { startAwsFaultProxy, type AwsFaultProxy } from "./aws-fault-proxy.js";
import { cardOf, executionsOf, repliesOn, waitForReports } from "./report-checks.js";
import { useRestartRig } from "./restart-rig.js";
import { API_TOKEN } from "./server-with-fakes.js";

const sha = (digit: string): string => digit.repeat(40);

/**
 * A crash (kill -9) at any point loses no accepted request: on restart every running deploy is
 * tracked to its end and its Slack card and GitHub status are finished (docs/reliability.md, 4).
 *
 * One `whistlestop start` process with Slack, GitHub and CodePipeline configured (fakes and the
 * emulator in this process, the emulator on a manual clock) is caught with four deploys, each at a
 * different step of its life, and killed with SIGKILL once:
 *   (a) events     — accepted and holding the slot; StartPipelineExecution never reached CodePipeline
 *   (b) call-tool  — CodePipeline started the execution; the answer (its id) never reached the server
 *   (c) email-signup — mid-stage (baking), with a second deploy queued behind it
 *   (d) donations  — succeeded in CodePipeline and in the store; the final card edit never reached Slack
 * A new process on the same SQLite file must finish all of them, each with one execution.
 * (Kill mid-stage without Slack/GitHub, and SIGTERM, are in test/e2e/restart.test.ts.)
 */
describe("kill -9 at each step of a deploy's life, then a restart on the same SQLite file", () => {
  const rig = useRestartRig();
  let proxy: AwsFaultProxy;
  beforeAll(async () => {
    proxy = await startAwsFaultProxy(rig.emulatorUrl);
  });
  afterAll(async () => {
    await proxy?.close();
  });
  const start = (codepipelineUrl: string) => rig.start({ codepipelineUrl });
  const command = (server: ServerProcess, text: string) => callApi<ApiCommandResult>(`${server.url}/api/v1/commands`, API_TOKEN, { body: { text } });
  const deploysOf = async (server: ServerProcess, service: string) =>
    (await callApi<{ deploys: DeployView[] }>(`${server.url}/api/v1/deploys?service=${service}&env=staging`, API_TOKEN)).body.deploys;
  const stateOf = async (server: ServerProcess, id: string) => (await callApi<DeployView>(`${server.url}/api/v1/deploys/${id}`, API_TOKEN)).body.state;

  test("every deploy reaches its end with one execution, a final Slack card and a final GitHub status", async () => {
    const startNeverSent = proxy.holdRequest("StartPipelineExecution", "events-staging");
    const answerNeverHeard = proxy.holdAnswer("StartPipelineExecution", "call-tool-staging");
    const finalCardEdit = rig.fakes.slack.hold("chat.update", (args) => args.channel === "C0DONATIONS" && String(args.text).includes(": succeeded ·"));
    const first = await start(proxy.url);

    // (d) Runs to its end; the server records it and sends the final card edit, which Slack never answers.
    const d = (await command(first, `deploy donations staging ${sha("d")}`)).body.deploy!.id;
    await rig.runPipelinesUntil("donations to succeed", async () => (await stateOf(first, d)) === "succeeded");
    await waitFor("the final card edit to be on its way", () => finalCardEdit.count() > 0 || undefined);

    // (c) Baking, with another deploy queued behind it.
    const c = await command(first, `deploy email-signup staging ${sha("c")}`);
    const queued = await command(first, `deploy email-signup staging ${sha("e")}`);
    expect(c.body.outcome).toBe("started");
    expect(queued.body.outcome).toBe("queued");
    const baking = () => executionsOf(rig.emulator, c.body.deploy!.id)[0]!.stages.some((s) => s.name === "Bake");
    while (!baking() && rig.emulator.tick());
    expect(baking()).toBe(true);
    await rig.emulator.flushEvents();

    // (a) and (b): the API answers never come; the process dies with both requests in flight.
    const unanswered = [command(first, `deploy events staging ${sha("a")}`), command(first, `deploy call-tool staging ${sha("b")}`)].map((p) => p.catch(() => undefined));
    await waitFor("the events start call to be held", () => startNeverSent.count() === 1 || undefined);
    await waitFor("the call-tool execution to exist with its answer held", () => answerNeverHeard.count() === 1 || undefined);
    const [a] = await deploysOf(first, "events");
    const [b] = await deploysOf(first, "call-tool");
    expect(a).toMatchObject({ state: "running" });
    expect(a!.executionId).toBeUndefined();
    expect(b).toMatchObject({ state: "running" });
    expect(b!.executionId).toBeUndefined();
    expect(executionsOf(rig.emulator, a!.id)).toHaveLength(0);
    expect(executionsOf(rig.emulator, b!.id)).toHaveLength(1);

    expect((await first.stop("SIGKILL")).signal).toBe("SIGKILL");
    await Promise.all(unanswered);
    // What a dead process leaves behind: a request that never left, an answer nobody reads, an edit never made.
    startNeverSent.drop();
    answerNeverHeard.drop();
    finalCardEdit.drop();
    expect(cardOf(rig.fakes.slack, d).text).not.toContain(": succeeded ·");
    // CodePipeline carries on while no server runs: (b) and (c) finish during the outage.
    rig.emulator.runUntilIdle();
    expect(executionsOf(rig.emulator, b!.id)[0]!.status).toBe("Succeeded");
    expect(executionsOf(rig.emulator, c.body.deploy!.id)[0]!.status).toBe("Succeeded");

    const second = await start(rig.emulatorUrl);
    const ids = { a: a!.id, b: b!.id, c: c.body.deploy!.id, queued: queued.body.deploy!.id, d };
    const all = Object.values(ids);
    await rig.runPipelinesUntil("every deploy to succeed after the restart", async () => {
      const states = await Promise.all(all.map((id) => stateOf(second, id)));
      return states.every((s) => s === "succeeded");
    });
    await waitForReports(rig.fakes.slack, rig.fakes.github, all.map((id) => ({ id, card: "succeeded", deployment: "success" })), 20_000);
    await waitFor("every card's thread to say the deploy is live", () => all.every((id) => repliesOn(rig.fakes.slack, cardOf(rig.fakes.slack, id).ts, "is live in staging").length > 0) || undefined);

    for (const id of all) {
      expect({ id, executions: executionsOf(rig.emulator, id).length }).toEqual({ id, executions: 1 });
      expect({ id, successReplies: repliesOn(rig.fakes.slack, cardOf(rig.fakes.slack, id).ts, "is live in staging").length }).toEqual({ id, successReplies: 1 });
    }
    expect(rig.emulator.stats().executions).toBe(all.length);
    // The adopted execution is the one CodePipeline had started before the crash.
    expect((await deploysOf(second, "call-tool"))[0]!.executionId).toBe(executionsOf(rig.emulator, ids.b)[0]!.id);

    // Reporting caught up in the store too, and the card the restarted server edited is the one it posted first.
    await second.stop("SIGTERM");
    const store = await openStore({ sqlitePath: rig.db });
    try {
      for (const id of all) {
        const stored = await store.getDeploy(id);
        expect(stored).toMatchObject({ state: "succeeded", notifiedState: "succeeded", slackTs: cardOf(rig.fakes.slack, id).ts });
      }
    } finally {
      await store.close();
    }
  }, 45_000);
});
