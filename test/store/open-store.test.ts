import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { openStore, storeOptionsFromEnv } from "../../src/adapters/store/open-store.js";
import { TEST_DATABASE_URL } from "./store-harness.js";
import { at, atDate } from "./deploy-fixtures.js";

const entry = { at: at(0), actor: "alice", surface: "api", action: "lock", outcome: "done" };

describe("storeOptionsFromEnv", () => {
  it("reads DATABASE_URL and WHISTLESTOP_DB, treating empty values as unset", () => {
    expect(storeOptionsFromEnv({})).toEqual({});
    expect(storeOptionsFromEnv({ DATABASE_URL: "", WHISTLESTOP_DB: " " })).toEqual({});
    expect(storeOptionsFromEnv({ DATABASE_URL: "postgres://db/x", WHISTLESTOP_DB: "/var/ws.db" })).toEqual({
      databaseUrl: "postgres://db/x",
      sqlitePath: "/var/ws.db",
    });
  });
});

describe("openStore", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "whistlestop-open-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("creates the SQLite folder, uses WAL, and keeps data across reopening", async () => {
    const sqlitePath = join(dir, "a", "b", "ws.db");
    const store = await openStore({ sqlitePath });
    await store.appendAudit(entry);
    await store.close();
    expect(existsSync(sqlitePath)).toBe(true);

    const raw = new Database(sqlitePath, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();

    const reopened = await openStore({ sqlitePath });
    expect(await reopened.listAudit({})).toEqual([entry]);
    await reopened.close();
  });

  it("supports an in-memory SQLite store", async () => {
    const store = await openStore({ sqlitePath: ":memory:" });
    await store.ping();
    expect(await store.recordKey("k", atDate(0))).toBe(true);
    await store.close();
  });

  it("waits for another process's write transaction instead of failing", async () => {
    const sqlitePath = join(dir, "shared.db");
    const store = await openStore({ sqlitePath });
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const db = new (require("better-sqlite3"))(process.argv[1]);
         db.exec("begin immediate");
         db.prepare("insert into audit (at, actor, surface, action, outcome) values ('t', 'other', 'api', 'x', 'held')").run();
         console.log("locked");
         setTimeout(() => { db.exec("commit"); db.close(); }, 300);`,
        sqlitePath,
      ],
      { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("locked") && resolve());
      holder.on("exit", (code) => reject(new Error(`holder exited early (${code})`)));
    });
    await store.appendAudit(entry);
    expect((await store.listAudit({})).map((e) => e.outcome)).toEqual(["done", "held"]);
    await store.close();
  });

  it("names the problem when the SQLite file cannot be created", async () => {
    const blocker = join(dir, "file");
    await (await openStore({ sqlitePath: blocker })).close();
    await expect(openStore({ sqlitePath: join(blocker, "ws.db") })).rejects.toThrow(/Cannot open the SQLite store .*WHISTLESTOP_DB/);
  });

  it("rejects a DATABASE_URL that is not PostgreSQL, without echoing its password", async () => {
    const failure = openStore({ databaseUrl: "mysql://root:hunter2@db/ws" });
    await expect(failure).rejects.toThrow(/postgres:\/\/ or postgresql:\/\//);
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });

  it("fails fast with a clear error when PostgreSQL cannot be reached", async () => {
    const failure = openStore({ databaseUrl: "postgres://ws:hunter2@127.0.0.1:1/test" });
    await expect(failure).rejects.toThrow(/Cannot open the PostgreSQL store at postgres:\/\/ws:\*\*\*@127\.0\.0\.1:1\/test/);
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });

  it("rejects a schema name that is not a plain identifier", async () => {
    await expect(openStore({ databaseUrl: "postgres://127.0.0.1:1/test?schema=a;drop" })).rejects.toThrow(/schema "a;drop"/);
  });

  it("works in the schema named by ?schema= in the URL", async () => {
    const schema = `ws_url_${randomBytes(4).toString("hex")}`;
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set("schema", schema);
    const store = await openStore({ databaseUrl: url.toString() });
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    await admin.connect();
    try {
      await store.appendAudit(entry);
      const { rows } = await admin.query(`select count(*)::int as n from "${schema}".audit`);
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await store.close();
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    }
  });
});
