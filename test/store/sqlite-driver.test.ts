// The SQLite driver under load: pending I/O between statements, statements prepared once, FIFO hand-over.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from "kysely";
import { FileWriteGate } from "../../src/adapters/store/file-write-gate.js";
import { openStore } from "../../src/adapters/store/open-store.js";
import { WhistlestopSqliteDriver } from "../../src/adapters/store/sqlite-driver.js";
import type { Store } from "../../src/core/ports/store.js";
import { newDeploy, unique } from "./deploy-fixtures.js";

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "whistlestop-driver-"));
  store = await openStore({ sqlitePath: join(dir, "store.db") });
});

afterEach(async () => {
  jest.restoreAllMocks();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A Kysely over the driver alone, on a clock the test moves: how long a statement "takes" is then
 * what the test says, not what a busy CI machine happens to measure.
 */
function slicedDatabase(): { db: Kysely<unknown>; clock: { now: number; perRead: number } } {
  const clock = { now: 0, perRead: 0 };
  const driver = new WhistlestopSqliteDriver(new Database(":memory:"), FileWriteGate.forFile(undefined), {
    clock: () => (clock.now += clock.perRead),
  });
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => driver,
      createIntrospector: (kysely) => new SqliteIntrospector(kysely),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  return { db, clock };
}

/** Whether a store call made now runs before I/O that is already pending (true) or after it. */
async function queryRunsBeforePendingIo(db: Kysely<unknown>): Promise<boolean> {
  const order: string[] = [];
  setImmediate(() => order.push("io"));
  await sql`select 1`.execute(db);
  order.push("query");
  await new Promise((resolve) => setImmediate(resolve));
  return order[0] === "query";
}

const nextMacrotask = () => new Promise((resolve) => setImmediate(resolve));

describe("the SQLite driver", () => {
  it("runs a short chain of store calls back to back when nobody waits", async () => {
    const { db } = slicedDatabase();
    await nextMacrotask();
    await sql`select 1`.execute(db);
    expect(await queryRunsBeforePendingIo(db)).toBe(true);
    await db.destroy();
  });

  it("lets pending I/O in once a chain of store calls used its time slice, and not before", async () => {
    const { db, clock } = slicedDatabase();
    clock.perRead = 0.125; // each statement holds the connection 125 µs: the 2 ms slice lasts 16 of them
    await nextMacrotask();
    const order: string[] = [];
    const chain = (async () => {
      for (let i = 0; i < 100; i++) {
        await sql`select 1`.execute(db);
        order.push("query");
      }
    })();
    // Stands for a request that arrived meanwhile: it must not wait for the whole chain.
    setImmediate(() => order.push("io"));
    await chain;
    expect(order.indexOf("io")).toBe(16);
    await db.destroy();
  });

  it("counts only the store's own time: a call after other slow work in the same turn is not deferred", async () => {
    const { db, clock } = slicedDatabase();
    await nextMacrotask();
    await sql`select 1`.execute(db); // opens the slice
    // Other callbacks of this turn of the loop took long (a webhook parsed, a card rendered).
    clock.now += 10;
    expect(await queryRunsBeforePendingIo(db)).toBe(true);
    await db.destroy();
  });

  it("opens a real store whose calls take turns with pending I/O", async () => {
    await nextMacrotask();
    const order: string[] = [];
    setImmediate(() => order.push("io"));
    await store.getDeploy("missing");
    order.push("query");
    await nextMacrotask();
    expect(order).toEqual(["query", "io"]);
  });

  it("prepares each SQL text once and reuses the statement", async () => {
    const prepare = jest.spyOn(Database.prototype, "prepare");
    const ids = Array.from({ length: 5 }, () => unique("d"));
    for (const id of ids) await store.getDeploy(id);
    expect(prepare).toHaveBeenCalledTimes(1);
  });

  it("hands the connection to waiting callers first come, first served, one at a time", async () => {
    const driver = new WhistlestopSqliteDriver(new Database(":memory:"), FileWriteGate.forFile(undefined));
    const served: number[] = [];
    const holders = [1, 2, 3].map((n) => driver.acquireConnection().then(() => served.push(n)));
    await holders[0];
    expect(served).toEqual([1]);
    await driver.releaseConnection();
    await holders[1];
    expect(served).toEqual([1, 2]);
    await driver.releaseConnection();
    await holders[2];
    expect(served).toEqual([1, 2, 3]);
    await driver.releaseConnection();
    await driver.destroy();
  });

  it("keeps working after a statement fails", async () => {
    const deploy = newDeploy({ service: unique("svc") });
    await store.insertDeploy(deploy);
    // The driver's error may come from another realm (jest shares native modules between test
    // files), so it is checked by its message rather than with toThrow().
    const failure = await store.insertDeploy(deploy).then(
      () => undefined,
      (error: unknown) => error as { message?: string },
    );
    expect(failure?.message).toMatch(/UNIQUE constraint failed/);
    expect((await store.getDeploy(deploy.id))?.id).toBe(deploy.id);
    await store.insertDeploy(newDeploy({ service: deploy.service }));
    expect(await store.countQueue!(deploy.service, "staging")).toBe(2);
  });
});
