import { performance } from "node:perf_hooks";
import type { Database, Statement } from "better-sqlite3";
import { CompiledQuery, SelectQueryNode, type DatabaseConnection, type Driver, type QueryResult } from "kysely";
import type { FileWriteGate } from "./file-write-gate.js";

/** Distinct SQL texts kept prepared; the store issues a few dozen, so this only bounds odd callers. */
const STATEMENT_CACHE_SIZE = 256;
/** How long store calls may hold the connection within one macrotask before the loop gets a turn. */
const SLICE_MS = 2;

export interface SqliteDriverOptions {
  /** Runs before the database closes (stopping helpers that use the same file). */
  readonly beforeClose?: () => Promise<void>;
  /** Milliseconds, for measuring how long store calls held the connection (tests pass a fake). */
  readonly clock?: () => number;
}

/**
 * Kysely's driver for better-sqlite3, changed where a busy server feels it:
 *
 * - better-sqlite3 is synchronous, so every query resolves without real I/O and a command's whole
 *   chain of store calls would run as one burst of microtasks, holding back new requests (Slack
 *   acks, webhooks) until it ends. Store calls therefore run in time slices: once the calls of
 *   one macrotask held the connection for SLICE_MS in all, the next call gets it from a fresh
 *   macrotask (setImmediate), so pending I/O runs in between. Only the store's own time counts:
 *   a request whose first store call comes late in a busy turn of the loop is not sent to the
 *   back for what other callbacks did. Within a slice, callers waiting for a transaction to end
 *   get the connection one after the other, without paying a turn of the loop each. A
 *   transaction keeps the connection for its few statements, so it is not stretched out by
 *   other work.
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
  /** Whether a slice is open: set by the first store call of a macrotask, closed by the next turn. */
  private sliceOpen = false;
  /** How long store calls held the connection in the open slice. */
  private spentInSlice = 0;
  private heldSince = 0;
  private readonly beforeClose: () => Promise<void>;
  private readonly clock: () => number;

  constructor(
    private readonly db: Database,
    private readonly gate: FileWriteGate,
    options: SqliteDriverOptions = {},
  ) {
    this.connection = new CachingSqliteConnection(db);
    this.beforeClose = options.beforeClose ?? (async () => {});
    this.clock = options.clock ?? (() => performance.now());
  }

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    if (!this.held && this.waiting.length === 0 && this.withinSlice()) {
      this.take();
      return Promise.resolve(this.connection);
    }
    return new Promise((resolve) => {
      this.waiting.push(() => {
        this.take();
        resolve(this.connection);
      });
      if (!this.held) this.handOver();
    });
  }

  async releaseConnection(): Promise<void> {
    this.held = false;
    if (this.sliceOpen) this.spentInSlice += this.clock() - this.heldSince;
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
    if (!this.sliceOpen) {
      this.sliceOpen = true;
      this.spentInSlice = 0;
      setImmediate(() => (this.sliceOpen = false));
      return true;
    }
    return this.spentInSlice < SLICE_MS;
  }

  private take(): void {
    this.held = true;
    this.heldSince = this.clock();
  }

  /**
   * The next waiter gets the connection: at once while the slice has time left (a turn of a busy
   * loop can take milliseconds, and a chain of waiters would pay it for each), else from a fresh
   * macrotask, so pending I/O goes first. It is held from here until then.
   */
  private handOver(): void {
    this.held = true;
    if (this.withinSlice()) return void this.waiting.shift()!();
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
    const cached = this.statements.get(sql);
    if (cached) return cached;
    // The store issues a few dozen distinct texts, so the bound is only reached by odd callers;
    // then the oldest prepared text goes (Map order is insertion order). A hit costs one lookup.
    const statement = this.db.prepare(sql);
    if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    this.statements.set(sql, statement);
    return statement;
  }
}
