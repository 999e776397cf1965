import { Migrator, sql, type Kysely } from "kysely";
import { InCodeMigrations, storeMigrations } from "./migrations.js";
import type { StoreSchema } from "./schema.js";
import type { StoreDialect } from "./store-context.js";

export interface MigrateOptions {
  /** PostgreSQL schema of the store (created when missing). */
  readonly schema?: string;
  /** The Whistlestop release doing the migration, recorded so an older one can name it. */
  readonly release?: string;
}

export interface MigrationReport {
  /** Migrations this call ran, in order; empty when the schema was already current. */
  readonly applied: readonly string[];
  /** The schema version the store is at now: the name of its latest migration. */
  readonly version: string;
}

/** The database was migrated by a newer Whistlestop than this one: start-up stops with what to run. */
export class SchemaTooNewError extends Error {
  constructor(readonly found: string, readonly known: string, readonly writtenBy: string | undefined, release: string | undefined) {
    super(
      `the database's schema is at ${found}, written by ${writtenBy ? `Whistlestop ${writtenBy}` : "a newer Whistlestop"}; this Whistlestop` +
        `${release ? ` (${release})` : ""} knows schemas up to ${known}. Run Whistlestop ${writtenBy ?? "at the version that migrated it"} or newer, ` +
        "or restore the backup taken before that upgrade (docs/operations.md, Rolling back Whistlestop)",
    );
    this.name = "SchemaTooNewError";
  }
}

const META_VERSION = "schema_version";
const META_WRITTEN_BY = "schema_written_by";

/**
 * Brings the schema up to date, once however many replicas start together. On PostgreSQL the
 * whole check-and-migrate holds a session advisory lock per schema (a replica waits while another
 * migrates, then finds nothing left to do); on SQLite the migrator's BEGIN IMMEDIATE transaction
 * does the same. A database newer than this code stops here, before anything is changed.
 */
export async function migrateToLatest(db: Kysely<StoreSchema>, dialect: StoreDialect, options: MigrateOptions = {}): Promise<MigrationReport> {
  if (dialect !== "postgres") return migrate(db, dialect, options);
  const key = `whistlestop-migrations:${options.schema ?? "public"}`;
  return db.connection().execute(async (connection) => {
    // A migration may outlast the pool's statement timeout, and so may the wait for its lock.
    await sql`set statement_timeout = 0`.execute(connection);
    await sql`select pg_advisory_lock(hashtext(${key}))`.execute(connection);
    try {
      return await migrate(connection, dialect, options);
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(connection);
      await sql`reset statement_timeout`.execute(connection);
    }
  });
}

async function migrate(db: Kysely<StoreSchema>, dialect: StoreDialect, options: MigrateOptions): Promise<MigrationReport> {
  const known = Object.keys(storeMigrations(dialect)).sort();
  const latest = known[known.length - 1]!;
  const executed = await readOrNothing(async () => (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name));
  const unknown = (executed ?? []).filter((name) => !known.includes(name)).sort();
  if (unknown.length > 0) {
    const writtenBy = await readMeta(db, META_WRITTEN_BY);
    throw new SchemaTooNewError(unknown[unknown.length - 1]!, latest, writtenBy, options.release);
  }
  const migrator = new Migrator({
    db,
    provider: new InCodeMigrations(dialect),
    // Numbers are reserved per change and merged in any order: a database that already ran a
    // later one still gets an earlier one that arrives afterwards (each touches its own tables).
    allowUnorderedMigrations: true,
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`store migration${failed ? ` ${failed}` : ""} failed: ${reason}`, { cause: error });
  }
  const applied = (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  if (applied.length > 0 || (await readMeta(db, META_VERSION)) !== latest) {
    await writeMeta(db, META_VERSION, latest);
    await writeMeta(db, META_WRITTEN_BY, options.release ?? "unknown");
  }
  return { applied, version: latest };
}

/** The value, or undefined when the table (an older schema) or the row is missing. */
async function readMeta(db: Kysely<StoreSchema>, key: string): Promise<string | undefined> {
  const value = await readOrNothing(async () => (await db.selectFrom("store_meta").select("value").where("key", "=", key).executeTakeFirst())?.value);
  return value ?? undefined;
}

async function writeMeta(db: Kysely<StoreSchema>, key: string, value: string): Promise<void> {
  await db
    .insertInto("store_meta")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

async function readOrNothing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}
