// WAL checkpoints happen in a worker thread, not inline in the server's commits.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { startWalCheckpointer } from "../../src/adapters/store/wal-checkpointer.js";
import { waitFor } from "../kit/wait-for.js";

let dir: string;
let path: string;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "whistlestop-wal-"));
  path = join(dir, "store.db");
  db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.exec("create table rows (id integer primary key, body text not null)");
});

afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the WAL checkpointer", () => {
  it("stops the connection from checkpointing inline, and copies its commits into the database file itself", async () => {
    const checkpointer = startWalCheckpointer(db, path);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const before = statSync(path).size;
    const insert = db.prepare("insert into rows (body) values (?)");
    for (let i = 0; i < 2000; i++) insert.run("x".repeat(500));

    await waitFor("the database file to receive the checkpointed pages", () => statSync(path).size > before + 500_000 || undefined);
    await checkpointer.stop();
    expect(db.prepare("select count(*) as n from rows").get()).toEqual({ n: 2000 });
  });

  it("hands checkpointing back to the connection when its worker is gone", async () => {
    const checkpointer = startWalCheckpointer(db, join(dir, "missing.db"));
    await waitFor("the connection to checkpoint by itself again", () => db.pragma("wal_autocheckpoint", { simple: true }) === 1000 || undefined);
    await checkpointer.stop();
  });
});
