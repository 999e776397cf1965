import { mkdirSync, realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
} from "kysely";
import { FileWriteGate } from "./file-write-gate.js";
import type { StoreSchema } from "./schema.js";

/** How long a writer waits for another process's write transaction before failing. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Kysely's SQLite driver begins with a plain (deferred) BEGIN, which can fail with SQLITE_BUSY
 * half-way when another connection wrote meanwhile. BEGIN IMMEDIATE takes the write lock up front,
 * so a transaction either starts with the lock (waiting for it up to busy_timeout) or not at all.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  private releaseGate: (() => void) | undefined;

  constructor(
    config: SqliteDialectConfig,
    private readonly gate: FileWriteGate,
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const release = await this.gate.acquire();
    try {
      await connection.executeQuery(CompiledQuery.raw("begin immediate"));
    } catch (error) {
      release();
      throw error;
    }
    this.releaseGate = release;
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw("commit"));
    } finally {
      this.openGate();
    }
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw("rollback"));
    } finally {
      this.openGate();
    }
  }

  private openGate(): void {
    this.releaseGate?.();
    this.releaseGate = undefined;
  }
}

/** SQLite runs DDL inside transactions; saying so lets the migrator use one (BEGIN IMMEDIATE), which serialises start-ups. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class WhistlestopSqliteDialect extends SqliteDialect {
  constructor(
    private readonly config: SqliteDialectConfig,
    private readonly gate: FileWriteGate,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.config, this.gate);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

export const MEMORY = ":memory:";

/** Opens (creating the folder and file if needed) a SQLite database in WAL mode. */
export function openSqliteDatabase(path: string): Kysely<StoreSchema> {
  const inMemory = path === MEMORY;
  if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  try {
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!inMemory) sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = ON");
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const gate = FileWriteGate.forFile(inMemory ? undefined : realpathSync(path));
  return new Kysely<StoreSchema>({ dialect: new WhistlestopSqliteDialect({ database: sqlite }, gate) });
}
