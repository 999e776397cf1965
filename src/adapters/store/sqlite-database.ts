import { mkdirSync, realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter, type Driver } from "kysely";
import { FileWriteGate } from "./file-write-gate.js";
import type { StoreSchema } from "./schema.js";
import { WhistlestopSqliteDriver } from "./sqlite-driver.js";
import { startWalCheckpointer } from "./wal-checkpointer.js";

/** How long a writer waits for another process's write transaction before failing. */
const BUSY_TIMEOUT_MS = 5000;

/** SQLite runs DDL inside transactions; saying so lets the migrator use one (BEGIN IMMEDIATE), which serialises start-ups. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class WhistlestopSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly gate: FileWriteGate,
    private readonly beforeClose?: () => Promise<void>,
  ) {
    super({ database: sqlite });
  }

  override createDriver(): Driver {
    return new WhistlestopSqliteDriver(this.sqlite, this.gate, this.beforeClose ? { beforeClose: this.beforeClose } : {});
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

export const MEMORY = ":memory:";

/** The page cache, in KiB (SQLite reads a negative cache_size as KiB). */
const PAGE_CACHE_KIB = 32 * 1024;

/** Opens (creating the folder and file if needed) a SQLite database in WAL mode. */
export function openSqliteDatabase(path: string): Kysely<StoreSchema> {
  const inMemory = path === MEMORY;
  if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  try {
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!inMemory) sqlite.pragma("journal_mode = WAL");
    // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives the process
    // being killed (it is in the OS's hands), only a power cut can lose the last ones. FULL would
    // block the event loop on an fsync per write (~170 µs each here). PostgreSQL is for more.
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    // SQLite's default page cache is 2 MiB: past a few thousand deploys the indexes a merge
    // touches no longer fit, and every statement reads pages back from the file. 32 MiB holds the
    // hot part of a year's history; it is an upper bound, filled only as pages are read.
    sqlite.pragma(`cache_size = ${-PAGE_CACHE_KIB}`);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const file = inMemory ? undefined : realpathSync(path);
  const checkpointer = file ? startWalCheckpointer(sqlite, file) : undefined;
  return new Kysely<StoreSchema>({ dialect: new WhistlestopSqliteDialect(sqlite, FileWriteGate.forFile(file), checkpointer?.stop) });
}
