import { openStore } from "../../src/adapters/store/open-store.js";
import type { ApiCommandResult } from "../../src/core/commands/api-command-result.js";
import type { DeployView } from "../../src/core/commands/command-result.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { callApi, startServerProcess, type ServerProcess } from "../kit/process-helpers.js";
import { waitFor } from "../kit/wait-for.js";
import { loadTestConfig } from "../kit/test-app.js";
import { startAwsFaultProxy, type AwsFaultProxy } from "./aws-fault-proxy.js";
import { cardOf, executionsOf, repliesOn, waitForReports } from "./report-checks.js";
import { API_TOKEN, EVENTS_TOKEN, serverEnv, startFakes, type Fakes } from "./server-with-fakes.js";

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
  let emulator: RunningEmulator;
  let proxy: AwsFaultProxy;
  let fakes: Fakes;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ pipelines: pipelinesFromConfig(loadTestConfig()), scheduler: "manual", stepMs: 1000 });
    proxy = await startAwsFaultProxy(emulator.url);
    fakes = await startFakes();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop("SIGKILL")));
    await proxy?.close();
    await emulator?.close();
    await fakes?.close();
  });

  const db = () => `${fakes.dir}/whistlestop.db`;
  const start = async (codepipelineUrl: string): Promise<ServerProcess> => {
    const server = await startServerProcess(serverEnv(fakes, { codepipelineUrl, db: db() }));
    servers.push(server);
    emulator.emulator.setEventTarget({ url: `${server.url}/api/pipeline-events`, token: EVENTS_TOKEN });
    return server;
  };
  const command = (server: ServerProcess, text: string) => callApi<ApiCommandResult>(`${server.url}/api/v1/commands`, API_TOKEN, { body: { text } });
  const deploysOf = async (server: ServerProcess, service: string) =>
    (await callApi<{ deploys: DeployView[] }>(`${server.url}/api/v1/deploys?service=${service}&env=staging`, API_TOKEN)).body.deploys;
  const stateOf = async (server: ServerProcess, id: string) => (await callApi<DeployView>(`${server.url}/api/v1/deploys/${id}`, API_TOKEN)).body.state;
  /** Lets CodePipeline run every step that is due and its events reach the server, until `done` holds. */
  const runPipelinesUntil = (what: string, done: () => Promise<boolean>, timeoutMs = 20_000) =>
    waitFor(
      what,
      async () => {
        emulator.emulator.runUntilIdle();
        await emulator.emulator.flushEvents();
        return (await done()) || undefined;
      },
      timeoutMs,
    );

  test("every deploy reaches its end with one execution, a final Slack card and a final GitHub status", async () => {
    const startNeverSent = proxy.holdRequest("StartPipelineExecution", "events-staging");
    const answerNeverHeard = proxy.holdAnswer("StartPipelineExecution", "call-tool-staging");
    const finalCardEdit = fakes.slack.hold("chat.update", (args) => args.channel === "C0DONATIONS" && String(args.text).includes(": succeeded ·"));
    const first = await start(proxy.url);

    // (d) Runs to its end; the server records it and sends the final card edit, which Slack never answers.
    const d = (await command(first, `deploy donations staging ${sha("d")}`)).body.deploy!.id;
    await runPipelinesUntil("donations to succeed", async () => (await stateOf(first, d)) === "succeeded");
    await waitFor("the final card edit to be on its way", () => finalCardEdit.count() > 0 || undefined);

    // (c) Baking, with another deploy queued behind it.
    const c = await command(first, `deploy email-signup staging ${sha("c")}`);
    const queued = await command(first, `deploy email-signup staging ${sha("e")}`);
    expect(c.body.outcome).toBe("started");
    expect(queued.body.outcome).toBe("queued");
    const baking = () => executionsOf(emulator.emulator, c.body.deploy!.id)[0]!.stages.some((s) => s.name === "Bake");
    while (!baking() && emulator.emulator.tick());
    expect(baking()).toBe(true);
    await emulator.emulator.flushEvents();

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
    expect(executionsOf(emulator.emulator, a!.id)).toHaveLength(0);
    expect(executionsOf(emulator.emulator, b!.id)).toHaveLength(1);

    expect((await first.stop("SIGKILL")).signal).toBe("SIGKILL");
    await Promise.all(unanswered);
    // What a dead process leaves behind: a request that never left, an answer nobody reads, an edit never made.
    startNeverSent.drop();
    answerNeverHeard.drop();
    finalCardEdit.drop();
    expect(cardOf(fakes.slack, d).text).not.toContain(": succeeded ·");
    // CodePipeline carries on while no server runs: (b) and (c) finish during the outage.
    emulator.emulator.runUntilIdle();
    expect(executionsOf(emulator.emulator, b!.id)[0]!.status).toBe("Succeeded");
    expect(executionsOf(emulator.emulator, c.body.deploy!.id)[0]!.status).toBe("Succeeded");

    const second = await start(emulator.url);
    const ids = { a: a!.id, b: b!.id, c: c.body.deploy!.id, queued: queued.body.deploy!.id, d };
    const all = Object.values(ids);
    await runPipelinesUntil("every deploy to succeed after the restart", async () => {
      const states = await Promise.all(all.map((id) => stateOf(second, id)));
      return states.every((s) => s === "succeeded");
    });
    await waitForReports(fakes.slack, fakes.github, all.map((id) => ({ id, card: "succeeded", deployment: "success" })), 20_000);
    await waitFor("every card's thread to say the deploy is live", () => all.every((id) => repliesOn(fakes.slack, cardOf(fakes.slack, id).ts, "is live in staging").length > 0) || undefined);

    for (const id of all) {
      expect({ id, executions: executionsOf(emulator.emulator, id).length }).toEqual({ id, executions: 1 });
      expect({ id, successReplies: repliesOn(fakes.slack, cardOf(fakes.slack, id).ts, "is live in staging").length }).toEqual({ id, successReplies: 1 });
    }
    expect(emulator.emulator.stats().executions).toBe(all.length);
    // The adopted execution is the one CodePipeline had started before the crash.
    expect((await deploysOf(second, "call-tool"))[0]!.executionId).toBe(executionsOf(emulator.emulator, ids.b)[0]!.id);

    // Reporting caught up in the store too, and the card the restarted server edited is the one it posted first.
    await second.stop("SIGTERM");
    const store = await openStore({ sqlitePath: db() });
    try {
      for (const id of all) {
        const stored = await store.getDeploy(id);
        expect(stored).toMatchObject({ state: "succeeded", notifiedState: "succeeded", slackTs: cardOf(fakes.slack, id).ts });
      }
    } finally {
      await store.close();
    }
  }, 45_000);
});
