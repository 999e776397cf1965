import { performance } from "node:perf_hooks";
import type { Database, Statement } from "better-sqlite3";
import { CompiledQuery, SelectQueryNode, type DatabaseConnection, type Driver, type QueryResult } from "kysely";
import type { FileWriteGate } from "./file-write-gate.js";

/** Distinct SQL texts kept prepared; the store issues a few dozen, so this only bounds odd callers. */
const STATEMENT_CACHE_SIZE = 256;
/** How long store calls may follow each other within one macrotask before the loop gets a turn. */
const SLICE_MS = 2;

/**
 * Kysely's driver for better-sqlite3, changed where a busy server feels it:
 *
 * - better-sqlite3 is synchronous, so every query resolves without real I/O and a command's whole
 *   chain of store calls would run as one burst of microtasks, holding back new requests (Slack
 *   acks, webhooks) until it ends. Store calls therefore run in time slices: once the calls of
 *   one macrotask took SLICE_MS, and whenever others wait for the connection, it is handed out
 *   in a fresh macrotask (setImmediate), so pending I/O runs in between. A short request path
 *   still runs its few calls back to back. A transaction keeps the connection for its few
 *   statements, so it is not stretched out by other work.
 * - Waiters get the connection first come, first served (Kysely's own mutex wakes every waiter
 *   on each release).
 * - Statements are prepared once per SQL text and reused.
 * - Transactions begin with BEGIN IMMEDIATE behind a per-file gate: the write lock is taken up
 *   front (waiting up to busy_timeout), so a transaction cannot fail with SQLITE_BUSY half-way
 *   when another connection wrote meanwhile, and two connections of one process never wait on
 *   each other inside SQLite (see file-write-gate.ts).
 */
export class WhistlestopSqliteDriver implements Driver {
  private readonly connection: CachingSqliteConnection;
  private readonly waiting: Array<() => void> = [];
  private held = false;
  private releaseGate: (() => void) | undefined;
  /** When the current slice began; undefined once the loop has had a turn since. */
  private sliceStartedAt: number | undefined;

  constructor(
    private readonly db: Database,
    private readonly gate: FileWriteGate,
    /** Runs before the database closes (stopping helpers that use the same file). */
    private readonly beforeClose: () => Promise<void> = async () => {},
  ) {
    this.connection = new CachingSqliteConnection(db);
  }

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    if (!this.held && this.waiting.length === 0 && this.withinSlice()) {
      this.held = true;
      return Promise.resolve(this.connection);
    }
    return new Promise((resolve) => {
      this.waiting.push(() => resolve(this.connection));
      if (!this.held) this.handOver();
    });
  }

  async releaseConnection(): Promise<void> {
    this.held = false;
    if (this.waiting.length > 0) this.handOver();
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const release = await this.gate.acquire();
    try {
      await connection.executeQuery(CompiledQuery.raw("begin immediate"));
    } catch (error) {
      release();
      throw error;
    }
    this.releaseGate = release;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw("commit"));
    } finally {
      this.openGate();
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw("rollback"));
    } finally {
      this.openGate();
    }
  }

  async destroy(): Promise<void> {
    await this.beforeClose();
    this.connection.forget();
    this.db.close();
  }

  /** Whether the current macrotask may run another store call before the loop gets a turn. */
  private withinSlice(): boolean {
    const now = performance.now();
    if (this.sliceStartedAt === undefined) {
      this.sliceStartedAt = now;
      setImmediate(() => (this.sliceStartedAt = undefined));
      return true;
    }
    return now - this.sliceStartedAt < SLICE_MS;
  }

  /** The connection is held from here until the next waiter's macrotask runs. */
  private handOver(): void {
    this.held = true;
    setImmediate(() => {
      const next = this.waiting.shift();
      if (next) next();
      else this.held = false;
    });
  }

  private openGate(): void {
    this.releaseGate?.();
    this.releaseGate = undefined;
  }
}

class CachingSqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return Promise.resolve(this.run<R>(compiledQuery));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query)) throw new Error("Sqlite driver only supports streaming of select queries");
    // A statement being iterated is busy; a private one keeps the cached one usable meanwhile.
    const statement = this.db.prepare(compiledQuery.sql);
    for (const row of statement.iterate(compiledQuery.parameters as unknown[])) yield { rows: [row as R] };
  }

  forget(): void {
    this.statements.clear();
  }

  private run<R>({ sql, parameters }: CompiledQuery): QueryResult<R> {
    const statement = this.prepared(sql);
    if (statement.reader) return { rows: statement.all(parameters as unknown[]) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters as unknown[]);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  private prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement) {
      // Map order is insertion order: re-inserting keeps the most recently used last.
      this.statements.delete(sql);
    } else {
      statement = this.db.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sql, statement);
    return statement;
  }
}
