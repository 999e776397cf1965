import { randomBytes } from "node:crypto";
import type pg from "pg";
import { openStore } from "../../src/adapters/store/open-store.js";
import type { Deploy } from "../../src/core/model/deploy.js";
import type { Store } from "../../src/core/ports/store.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { startServerProcess, type ServerProcess } from "../kit/process-helpers.js";
import { waitFor } from "../kit/wait-for.js";
import { loadTestConfig } from "../kit/test-app.js";
import { mergedPullRequest, sendWebhook } from "../github/webhook-fixtures.js";
import { sendSlashCommand } from "../slack/slack-requests.js";
import { startEventRelay, type EventRelay } from "./event-relay.js";
import { executionsOf, waitForReports } from "./report-checks.js";
import { EVENTS_TOKEN, serverEnv, startFakes, WEBHOOK_SECRET, type Fakes } from "./server-with-fakes.js";
import { connectOrExplain, TEST_DATABASE_URL } from "../store/store-harness.js";

/** The production lease (45 s) and sweep (15 s), scaled down so a takeover takes seconds. */
const LEASE_MS = 2000;
const SWEEP_MS = 500;
/** Allowance for timer lateness and the sweep's own queries on a busy test machine. */
const TAKEOVER_SLACK_MS = 1500;
const COMMANDS = 50;
const OCTOCAT = "U024BE7LH";

const sha = (i: number): string => i.toString(16).padStart(40, "c");

interface Replica {
  readonly process: ServerProcess;
  readonly id: string;
}

function replicaIdOf(server: ServerProcess): string {
  for (const line of server.lines) {
    try {
      const entry = JSON.parse(line) as { msg?: string; replica?: string };
      if (entry.msg === "whistlestop is listening" && entry.replica) return entry.replica;
    } catch {
      // not a log line
    }
  }
  throw new Error("the server did not log its replica id");
}

/**
 * The reliability promises (docs/reliability.md) across replicas: two `whistlestop start` processes on one PostgreSQL schema, with Slack,
 * GitHub and CodePipeline configured (fakes and the emulator, on a manual clock, in this process).
 * Duplicate requests start one deploy; one (service, env) runs one execution at a time; when the
 * replica that follows the running deploy is killed, the other takes over its running and queued
 * deploys within lease + sweep (WHISTLESTOP_LEASE_MS / WHISTLESTOP_SWEEP_MS, 45 s + 15 s in production).
 */
describe("two replicas on one PostgreSQL", () => {
  let admin: pg.Client;
  let schema: string;
  let store: Store;
  let emulator: RunningEmulator;
  let relay: EventRelay;
  let fakes: Fakes;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    admin = await connectOrExplain(TEST_DATABASE_URL);
    schema = `ws_faults_${process.pid}_${randomBytes(4).toString("hex")}`;
    const databaseUrl = new URL(TEST_DATABASE_URL);
    databaseUrl.searchParams.set("schema", schema);
    // This process's own view of the database: it reads, and never claims anything.
    store = await openStore({ databaseUrl: databaseUrl.toString(), poolSize: 2 });
    emulator = await startEmulator({ pipelines: pipelinesFromConfig(loadTestConfig()), scheduler: "manual", stepMs: 1000 });
    // Pipeline-level events only: they are what moves deploys along; stage and action events add time, not coverage.
    relay = await startEventRelay(["CodePipeline Pipeline Execution State Change"]);
    emulator.emulator.setEventTarget({ url: relay.url, token: EVENTS_TOKEN });
    fakes = await startFakes();
    const env = serverEnv(fakes, {
      codepipelineUrl: emulator.url,
      databaseUrl: databaseUrl.toString(),
      extra: { WHISTLESTOP_LEASE_MS: String(LEASE_MS), WHISTLESTOP_SWEEP_MS: String(SWEEP_MS) },
    });
    // Two replicas on one host need ids of their own (the default, the host name, is one per host).
    const started = await Promise.all(["replica-a", "replica-b"].map((id) => startServerProcess({ ...env, WHISTLESTOP_REPLICA_ID: id })));
    for (const process of started) {
      replicas.push({ process, id: replicaIdOf(process) });
      relay.targets.add(`${process.url}/api/pipeline-events`);
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.process.stop("SIGKILL")));
    await relay?.close();
    await emulator?.close();
    await fakes?.close();
    await store?.close();
    await admin?.query(`drop schema if exists "${schema}" cascade`);
    await admin?.end();
  });

  const deploysOf = (service: string): Promise<Deploy[]> => store.listDeploys({ service, env: "staging", limit: 500 });
  const executions = () => emulator.emulator.executions("donations-staging");
  /**
   * Lets CodePipeline run every step that is due (its events go out to the replicas) until
   * `started` executions exist and all but the last `running` of them succeeded. Cheap to ask
   * often: it reads the emulator, not the database.
   */
  const runPipelinesUntil = (what: string, started: number, running = 0) =>
    waitFor(
      what,
      () => {
        if (executions().filter((e) => e.status === "Succeeded").length < started - running) emulator.emulator.runUntilIdle();
        const all = executions();
        return all.length === started && all.slice(0, started - running).every((e) => e.status === "Succeeded") ? true : undefined;
      },
      30_000,
    );

  test("one merge webhook delivered to both, 50 commands for one target, and a replica killed mid-queue: every deploy runs once, one at a time, to the end", async () => {
    const [one, two] = replicas as [Replica, Replica];

    // The same delivery (same X-GitHub-Delivery) reaches both replicas at once.
    const merge = mergedPullRequest({ repo: "whistlestop-demo/events", number: 7, mergeSha: "e".repeat(40) });
    const answers = await Promise.all(replicas.map((r) => sendWebhook(r.process.url, "pull_request", merge, { delivery: "merge-delivery-1", secret: WEBHOOK_SECRET })));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);

    // 50 people type /deploy donations staging at once, half of them reaching each replica.
    const acks = await Promise.all(
      Array.from({ length: COMMANDS }, (_, i) =>
        sendSlashCommand(replicas[i % 2]!.process.url, { command: "/deploy", text: `donations staging ${sha(i)}`, userId: OCTOCAT, responseUrl: fakes.slack.responseUrl(`r${i}`) }),
      ),
    );
    expect(acks.every((a) => a.status === 200)).toBe(true);
    // An accepted deploy is answered by its card, not by a reply to the command.
    const accepted = await waitFor(
      "every command to be recorded and the first deploy started",
      async () => {
        const deploys = await deploysOf("donations");
        return deploys.length === COMMANDS && deploys.some((d) => d.executionId) ? deploys : undefined;
      },
      30_000,
    );
    const running = accepted.filter((d) => d.state === "running");
    const bySeq = [...accepted].sort((a, b) => a.seq - b.seq);
    expect(running.map((d) => d.id)).toEqual([bySeq[0]!.id]);
    expect(accepted.filter((d) => d.state === "queued")).toHaveLength(COMMANDS - 1);
    expect(executions()).toHaveLength(1);
    expect(await deploysOf("events")).toHaveLength(1);
    // Everyone waiting sees a card saying so. Letting these reports land before the queue moves also
    // keeps clear of a narrow race that remains: a deploy one replica starts while another is still
    // posting its first card can get a second card.
    await waitForReports(fakes.slack, fakes.github, bySeq.slice(1).map((d) => ({ id: d.id, card: "queued", deployment: "queued" })), 30_000);

    // Let five finish; stop while the sixth is running (followed by one replica) and the rest wait behind it.
    await runPipelinesUntil("five deploys to finish and the sixth to start", 6, 1);
    const victimDeploy = await waitFor("the sixth deploy to be running with an owner", async () => {
      const sixth = (await deploysOf("donations")).sort((a, b) => a.seq - b.seq)[5]!;
      return sixth.state === "running" && sixth.executionId && sixth.ownerId ? sixth : undefined;
    });
    const victim = replicas.find((r) => r.id === victimDeploy.ownerId)!;
    const survivor = victim === one ? two : one;
    expect(victim).toBeDefined();
    expect(Date.parse(victimDeploy.leaseExpiresAt!)).toBeGreaterThan(Date.now());

    const killedAt = Date.now();
    expect((await victim.process.stop("SIGKILL")).signal).toBe("SIGKILL");
    relay.targets.delete(`${victim.process.url}/api/pipeline-events`);
    await waitFor(
      "the survivor to take the running deploy over",
      async () => ((await store.getDeploy(victimDeploy.id))?.ownerId === survivor.id ? true : undefined),
      LEASE_MS + SWEEP_MS + 5000,
    );
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThanOrEqual(LEASE_MS + SWEEP_MS + TAKEOVER_SLACK_MS);

    await runPipelinesUntil("every execution to succeed", COMMANDS);
    const all = await waitFor("every deploy to be recorded as succeeded", async () => {
      const deploys = [...(await deploysOf("donations")), ...(await deploysOf("events"))];
      return deploys.every((d) => d.state === "succeeded") ? deploys : undefined;
    });
    expect(all).toHaveLength(COMMANDS + 1);

    // One execution per deploy, started in queue (seq) order, never two at once.
    for (const deploy of all) expect({ id: deploy.id, executions: executionsOf(emulator.emulator, deploy.id).length }).toEqual({ id: deploy.id, executions: 1 });
    const started = executions();
    const seqOf = new Map(all.map((d) => [d.id, d.seq]));
    const startOrder = started.map((e) => seqOf.get((e as { clientRequestToken?: string }).clientRequestToken ?? "")!);
    expect(startOrder).toEqual([...startOrder].sort((a, b) => a - b));
    for (let i = 1; i < started.length; i++) expect(started[i]!.startTime).toBeGreaterThanOrEqual(started[i - 1]!.lastUpdateTime);
    // The deploys after the kill were all followed by the survivor.
    const afterKill = all.filter((d) => d.service === "donations" && d.seq > victimDeploy.seq);
    expect(new Set(afterKill.map((d) => d.ownerId))).toEqual(new Set([survivor.id]));

    await waitForReports(fakes.slack, fakes.github, all.map((d) => ({ id: d.id, card: "succeeded", deployment: "success" })), 30_000);
  }, 90_000);
});
