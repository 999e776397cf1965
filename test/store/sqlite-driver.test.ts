// The SQLite driver under load: pending I/O between statements, statements prepared once, FIFO hand-over.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
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

/** Whether a store call made now runs before I/O that is already pending (true) or after it. */
async function queryRunsBeforePendingIo(): Promise<boolean> {
  const order: string[] = [];
  setImmediate(() => order.push("io"));
  await store.getDeploy("missing");
  order.push("query");
  await new Promise((resolve) => setImmediate(resolve));
  return order[0] === "query";
}

describe("the SQLite driver", () => {
  it("runs a short chain of store calls back to back when nobody waits", async () => {
    // A fresh macrotask, so opening the store (migrations) has not used up this slice.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await queryRunsBeforePendingIo()).toBe(true);
  });

  it("lets pending I/O in once a long chain of store calls used its time slice", async () => {
    const order: string[] = [];
    const chain = (async () => {
      for (let i = 0; i < 400; i++) {
        await store.getDeploy(`missing-${i}`);
        order.push("query");
      }
    })();
    // Stands for a request that arrived meanwhile: it must not wait for the whole chain.
    setImmediate(() => order.push("io"));
    await chain;
    expect(order.indexOf("io")).toBeGreaterThan(-1);
    expect(order.indexOf("io")).toBeLessThan(order.length - 1);
  });

  it("counts only the store's own time: a call after other slow work in the same turn is not deferred", async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await store.getDeploy("opens-the-slice");
    // Other callbacks of this turn of the loop took long (a webhook parsed, a card rendered).
    const until = performance.now() + 10;
    while (performance.now() < until);
    expect(await queryRunsBeforePendingIo()).toBe(true);
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
