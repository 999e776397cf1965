import { randomBytes } from "node:crypto";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import type pg from "pg";
import { openStore } from "../../src/adapters/store/open-store.js";
import type { Store } from "../../src/core/ports/store.js";
import type { PipelineEvent } from "../../src/emulator/event-publisher.js";
import { waitFor } from "../kit/wait-for.js";
import { startTestApp, type TestApp } from "../kit/test-app.js";
import { connectOrExplain, TEST_DATABASE_URL } from "../store/store-harness.js";


/** A TCP proxy in front of PostgreSQL: stopping it is, to the server, PostgreSQL going away. */
class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.once("close", () => this.sockets.delete(socket));
        socket.on("error", () => (socket === client ? upstream : client).destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Refuse new connections and cut the open ones, as a stopped database would. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const readyz = async (t: TestApp) => (await fetch(`${t.url}/readyz`)).status;

const HOUR = 3_600_000;
const EVENTS_TOKEN = "postgres-events-token-0123456789";

describe("the server on PostgreSQL, with PostgreSQL stopping and coming back", () => {
  let admin: pg.Client;
  let proxy: TcpProxy;
  let store: Store | undefined;
  let t: TestApp | undefined;
  let schema: string;

  beforeEach(async () => {
    admin = await connectOrExplain(TEST_DATABASE_URL);
    const target = new URL(TEST_DATABASE_URL);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.open();
    schema = `ws_server_${process.pid}_${randomBytes(4).toString("hex")}`;
    const url = new URL(TEST_DATABASE_URL);
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    url.searchParams.set("schema", schema);
    store = await openStore({ databaseUrl: url.toString(), poolSize: 4 });
    // Polls an hour apart and no pipeline events until the test turns them on: nothing touches
    // the database unless the test makes it, so the outage starts at a known, quiet moment.
    t = await startTestApp({ store, pollMs: HOUR, pipelineEventsToken: EVENTS_TOKEN });
  });
  afterEach(async () => {
    await t?.close();
    await store?.close();
    await proxy?.stop();
    await admin?.query(`drop schema if exists "${schema}" cascade`);
    await admin?.end();
  });

  test("migrations run, /readyz follows the database, commands fail closed while it is down, and work resumes after", async () => {
    const tables = await admin.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = $1", [schema]);
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(["deploys", "slots", "locks", "audit", "idempotency_keys", "kysely_migration"]));
    expect(await readyz(t!)).toBe(200);
    const inFlight = await t!.command("deploy events staging");
    expect(inFlight.outcome).toBe("started");
    await t!.app.notifications.idle();

    await proxy.stop();
    expect(await readyz(t!)).toBe(503);
    const refused = await t!.command("deploy donations staging");
    expect(refused).toMatchObject({ status: 503, outcome: "refused", reasonCode: "store_unavailable" });
    expect(refused.message).toMatch(/cannot reach its database, so nothing was changed/);
    expect(t!.emulator.emulator.executions("donations-staging")).toHaveLength(0);

    // The running deploy's pipeline finishes meanwhile; its events cannot be recorded, so they
    // are answered with an error for EventBridge to deliver again.
    const events: PipelineEvent[] = [];
    t!.emulator.emulator.onEvent((event) => events.push(event));
    t!.emulator.emulator.setEventTarget({ url: `${t!.url}/api/pipeline-events`, token: EVENTS_TOKEN });
    t!.emulator.emulator.runUntilIdle();
    await t!.emulator.emulator.flushEvents();
    expect(t!.emulator.emulator.stats().eventsFailed).toBeGreaterThan(0);

    await proxy.open();
    await waitFor("/readyz to answer 200 again", async () => ((await readyz(t!)) === 200 ? true : undefined));
    const redelivered = await fetch(`${t!.url}/api/pipeline-events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-whistlestop-token": EVENTS_TOKEN },
      body: JSON.stringify(events.at(-1)),
    });
    expect(await redelivered.json()).toEqual({ accepted: true });
    await waitFor("the deploy that ran during the outage to be recorded as succeeded", async () =>
      (await t!.store.getDeploy(inFlight.deploy!.id))?.state === "succeeded" ? true : undefined,
    );

    const started = await t!.command("deploy donations staging");
    expect(started).toMatchObject({ status: 200, outcome: "started" });
    expect((await t!.runDeploy(started.deploy!.id)).state).toBe("succeeded");
    expect((await t!.store.listDeploys({})).map((d) => d.id).sort()).toEqual([inFlight.deploy!.id, started.deploy!.id].sort());
    expect(t!.emulator.emulator.executions("donations-staging")).toHaveLength(1);
  });

  // pg emits "error" on a client that loses its connection while checked out of the pool; unheard,
  // that event would end the process instead of failing the command closed.
  test("PostgreSQL stopping under a command that is writing: the command is refused with store_unavailable and the server lives on", async () => {
    // Hold the (service, env) advisory lock so the deploy's insert waits inside its transaction.
    await admin.query("select pg_advisory_lock(hashtext('donations'), hashtext('staging'))");
    try {
      const pending = t!.command("deploy donations staging");
      await waitFor("the insert to wait for the lock", async () => {
        const waiting = await admin.query("select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like '%pg_advisory_xact_lock%'");
        return waiting.rowCount ? true : undefined;
      });
      await proxy.stop();
      const refused = await pending;
      expect(refused).toMatchObject({ status: 503, reasonCode: "store_unavailable" });
      expect(t!.emulator.emulator.executions("donations-staging")).toHaveLength(0);
    } finally {
      await admin.query("select pg_advisory_unlock_all()");
    }
    await proxy.open();
    await waitFor("/readyz to answer 200 again", async () => ((await readyz(t!)) === 200 ? true : undefined));
  });
});
