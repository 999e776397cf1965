import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { openStore, type StoreOptions } from "../../src/adapters/store/open-store.js";
import { storeMigrations } from "../../src/adapters/store/migrations.js";
import type { Store } from "../../src/core/ports/store.js";
import { HARNESSES, TEST_DATABASE_URL } from "./store-harness.js";

const LATEST = Object.keys(storeMigrations("sqlite")).sort().at(-1)!;

/** A fresh, empty database of each dialect, and a way to run raw SQL on it. */
interface EmptyDatabase {
  readonly options: StoreOptions;
  query(text: string): Promise<Array<Record<string, unknown>>>;
  drop(): Promise<void>;
}

async function emptyDatabase(dialect: "sqlite" | "postgres"): Promise<EmptyDatabase> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "whistlestop-migrate-"));
    const sqlitePath = join(dir, "store.db");
    return {
      options: { sqlitePath },
      async query(text) {
        const db = new Database(sqlitePath);
        try {
          const statement = db.prepare(text);
          return statement.reader ? (statement.all() as Array<Record<string, unknown>>) : (statement.run(), []);
        } finally {
          db.close();
        }
      },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `ws_migrate_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  return {
    options: { databaseUrl: TEST_DATABASE_URL, schema, poolSize: 2 },
    query: async (text) => (await admin.query(text.replaceAll("{schema}", `"${schema}"`))).rows as Array<Record<string, unknown>>,
    async drop() {
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    },
  };
}

describe.each(HARNESSES.map((h) => h.name))("store migrations [%s]", (dialect) => {
  let database: EmptyDatabase;
  const opened: Store[] = [];
  const table = (name: string) => (dialect === "postgres" ? `{schema}.${name}` : name);

  beforeEach(async () => {
    database = await emptyDatabase(dialect);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await database.drop();
  });

  test("replicas starting together on an empty database all come up, and each migration runs once", async () => {
    const stores = await Promise.all([1, 2, 3, 4].map(() => openStore({ ...database.options, release: "1.2.3" })));
    opened.push(...stores);
    await Promise.all(stores.map((s) => s.ping()));
    const migrations = await database.query(`select name from ${table("kysely_migration")} order by name`);
    expect(migrations.map((m) => m.name)).toEqual(Object.keys(storeMigrations(dialect)).sort());
    const meta = await database.query(`select key, value from ${table("store_meta")} where key like 'schema%' order by key`);
    expect(meta).toEqual([
      { key: "schema_version", value: LATEST },
      { key: "schema_written_by", value: "1.2.3" },
    ]);
  });

  test("a database migrated by a newer Whistlestop stops an older one with the version it needs, and changes nothing", async () => {
    opened.push(await openStore({ ...database.options, release: "1.2.3" }));
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await database.query(`insert into ${table("kysely_migration")} (name, timestamp) values ('9001_tomorrow', '2030-01-01T00:00:00.000Z')`);
    await database.query(`update ${table("store_meta")} set value = '9.9.9' where key = 'schema_written_by'`);

    const refusal = await openStore({ ...database.options, release: "1.2.3" }).then(
      (store) => {
        opened.push(store);
        return undefined;
      },
      (error: unknown) => error as Error,
    );
    expect(refusal?.message).toBe(
      `the database's schema is at 9001_tomorrow, written by Whistlestop 9.9.9; this Whistlestop (1.2.3) knows schemas up to ${LATEST}. ` +
        "Run Whistlestop 9.9.9 or newer, or restore the backup taken before that upgrade (docs/operations.md, Rolling back Whistlestop)",
    );
    const meta = await database.query(`select value from ${table("store_meta")} where key = 'schema_written_by'`);
    expect(meta).toEqual([{ value: "9.9.9" }]);
  });
});
