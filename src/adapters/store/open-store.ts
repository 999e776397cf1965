import type { Store } from "../../core/ports/store.js";
import { WriteBatch } from "./write-batch.js";
import { KyselyStore } from "./kysely-store.js";
import { migrateToLatest, SchemaTooNewError, type MigrationReport } from "./migrate-store.js";
import { openPostgresDatabase, redactUrl } from "./postgres-database.js";
import { openSqliteDatabase } from "./sqlite-database.js";

export interface StoreOptions {
  /** postgres:// or postgresql://; when set, the store is PostgreSQL (several replicas may share it). */
  readonly databaseUrl?: string;
  /** SQLite file when no databaseUrl; ":memory:" for a throw-away store. */
  readonly sqlitePath?: string;
  /** PostgreSQL schema to work in (overrides `?schema=` in the URL; default public); created if missing. */
  readonly schema?: string;
  /** PostgreSQL connections per Store; default 10. */
  readonly poolSize?: number;
  readonly logger?: { warn(msg: string): void };
  /** This Whistlestop's version, recorded with the schema so an older release can name it. */
  readonly release?: string;
  /** Told what the migrations did (`whistlestop migrate` prints it). */
  readonly onMigrated?: (report: MigrationReport) => void;
}

export const DEFAULT_SQLITE_PATH = "./data/whistlestop.db";
const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** DATABASE_URL selects PostgreSQL; WHISTLESTOP_DB moves the SQLite file (docs/getting-started.md, The database). Empty counts as unset. */
export function storeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreOptions {
  const databaseUrl = env.DATABASE_URL?.trim();
  const sqlitePath = env.WHISTLESTOP_DB?.trim();
  return { ...(databaseUrl ? { databaseUrl } : {}), ...(sqlitePath ? { sqlitePath } : {}) };
}

/** Opens the store and brings its schema up to date; throws with what to fix when it cannot. */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  if (options.databaseUrl) return openPostgresStore(options.databaseUrl, options);
  return openSqliteStore(options.sqlitePath ?? DEFAULT_SQLITE_PATH, options);
}

async function openPostgresStore(url: string, options: StoreOptions): Promise<Store> {
  if (!POSTGRES_URL.test(url)) {
    throw new Error(
      `DATABASE_URL must start with postgres:// or postgresql:// (got "${redactUrl(url)}"); unset it to use SQLite at ${DEFAULT_SQLITE_PATH}`,
    );
  }
  const { db, schema } = openPostgresDatabase({
    url,
    ...(options.schema !== undefined ? { schema: options.schema } : {}),
    ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  try {
    const report = await migrateToLatest(db, "postgres", { schema, ...(options.release ? { release: options.release } : {}) });
    options.onMigrated?.(report);
  } catch (error) {
    await db.destroy();
    if (error instanceof SchemaTooNewError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot open the PostgreSQL store at ${redactUrl(url)}: ${reason}. Check DATABASE_URL and that the server is up.`, {
      cause: error,
    });
  }
  return new KyselyStore({ db, dialect: "postgres", batch: new WriteBatch({ db }) });
}

async function openSqliteStore(path: string, options: StoreOptions): Promise<Store> {
  let db;
  try {
    db = openSqliteDatabase(path);
    const report = await migrateToLatest(db, "sqlite", options.release ? { release: options.release } : {});
    options.onMigrated?.(report);
  } catch (error) {
    await db?.destroy();
    if (error instanceof SchemaTooNewError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot open the SQLite store at ${path}: ${reason}. Check WHISTLESTOP_DB and that its folder is writable.`, {
      cause: error,
    });
  }
  return new KyselyStore({ db, dialect: "sqlite", batch: new WriteBatch({ db }) });
}
