import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { Migrator, sql, type Kysely, type Migration } from "kysely";
import pg from "pg";
import { storeMigrations } from "../../src/adapters/store/migrations.js";
import { openStore, type StoreOptions } from "../../src/adapters/store/open-store.js";
import { openPostgresDatabase } from "../../src/adapters/store/postgres-database.js";
import type { StoreSchema } from "../../src/adapters/store/schema.js";
import { openSqliteDatabase } from "../../src/adapters/store/sqlite-database.js";
import type { Store } from "../../src/core/ports/store.js";
import { at, atDate, newDeploy } from "./deploy-fixtures.js";
import { HARNESSES, TEST_DATABASE_URL } from "./store-harness.js";

/** The migrations a store had before approvals existed. */
function before0008(dialect: "sqlite" | "postgres"): Record<string, Migration> {
  return Object.fromEntries(Object.entries(storeMigrations(dialect)).filter(([name]) => name < "0008"));
}

async function migrateOld(db: Kysely<StoreSchema>, dialect: "sqlite" | "postgres", schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => before0008(dialect) }, allowUnorderedMigrations: true, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

/**
 * A store that ran deploys before 0008_approvals keeps every row, index and queue number after it:
 * SQLite rebuilds the deploys table to widen its state check, PostgreSQL swaps the constraint.
 */
describe.each(HARNESSES.map((h) => h.name))("0008_approvals on a store with history [%s]", (dialect) => {
  let options: StoreOptions;
  let cleanUp: () => Promise<void>;
  let store: Store | undefined;

  beforeEach(async () => {
    if (dialect === "sqlite") {
      const dir = mkdtempSync(join(tmpdir(), "whistlestop-0008-"));
      options = { sqlitePath: join(dir, "store.db") };
      cleanUp = async () => rmSync(dir, { recursive: true, force: true });
      return;
    }
    const schema = `ws_0008_${process.pid}_${randomBytes(4).toString("hex")}`;
    options = { databaseUrl: TEST_DATABASE_URL, schema, poolSize: 2 };
    cleanUp = async () => {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    };
  });
  afterEach(async () => {
    await store?.close();
    await cleanUp();
  });

  test("old deploys, their order and the running slot survive; new deploys may await approval", async () => {
    const db = dialect === "sqlite" ? openSqliteDatabase(options.sqlitePath!) : openPostgresDatabase({ url: TEST_DATABASE_URL, schema: options.schema! }).db;
    if (dialect === "postgres") await sql`create schema if not exists ${sql.id(options.schema!)}`.execute(db);
    await migrateOld(db, dialect, options.schema);
    const old = [newDeploy({ id: "d-old-1", service: "svc", requestedAt: at(0) }), newDeploy({ id: "d-old-2", service: "svc", requestedAt: at(1) })];
    for (const deploy of old) {
      const { approval: _none, stages, ...row } = deploy;
      await db
        .insertInto("deploys")
        .values({ id: row.id, service: row.service, env: row.env, sha: row.sha, ref: row.ref, actor: row.actor, surface: row.surface, automatic: 0, forced: 0, state: "queued", pipeline_name: row.pipelineName, stages: JSON.stringify(stages ?? []), requested_at: row.requestedAt } as never)
        .execute();
    }
    await db.destroy();

    store = await openStore(options);
    const queue = await store.listQueue("svc", "staging");
    expect(queue.map((d) => d.id)).toEqual(["d-old-1", "d-old-2"]);
    expect(await store.claimSlot("d-old-1", atDate(2))).toBe(true);
    const awaiting = newDeploy({ id: "d-new", service: "svc", approval: { required: 1, expiresAt: at(60) } });
    const inserted = await store.insertDeploy(awaiting);
    expect(inserted).toMatchObject({ kind: "inserted", deploy: { state: "awaiting_approval" } });
    // Queue numbers are never reused: the new deploy comes after every old one.
    if (inserted.kind === "inserted") expect(inserted.deploy.seq).toBeGreaterThan(queue[1]!.seq);
    expect(await store.getRunning("svc", "staging")).toMatchObject({ id: "d-old-1" });
  });
});
