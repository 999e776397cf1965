import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Database } from "better-sqlite3";

/** How often the worker moves committed WAL frames into the database file. */
const CHECKPOINT_INTERVAL_MS = 200;
/** SQLite's own default, restored if the worker stops: the WAL must never grow without bound. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

// Plain JavaScript run by the worker (its own connection, its own thread). A PASSIVE checkpoint
// never waits for readers or writers, so the server's connection is never held up by it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driverPath);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("busy_timeout = 1000");
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or briefly locked: the next round tries again.
  }
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  /** Stops the worker (the caller's connection then checkpoints by itself when it closes). */
  stop(): Promise<void>;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. In WAL mode the connection that commits the
 * 1000th page checkpoints inline, copying pages into the database file and syncing it: with
 * better-sqlite3 that blocks the event loop for tens to hundreds of milliseconds, in the middle of
 * whatever request happens to commit. Here the server's connection stops checkpointing, and a
 * worker thread with a connection of its own does it a little at a time. Durability is unchanged:
 * a commit is durable once its WAL frames are synced, whoever checkpoints them later.
 */
export function startWalCheckpointer(connection: Database, path: string): WalCheckpointer {
  const driverPath = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driverPath, intervalMs: CHECKPOINT_INTERVAL_MS } });
  worker.unref();
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  // If the worker cannot run (or dies), the connection checkpoints inline again, as SQLite does by default.
  const fallBack = () => {
    if (!stopping && connection.open) connection.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  };
  worker.once("error", fallBack);
  worker.once("exit", fallBack);
  connection.pragma("wal_autocheckpoint = 0");
  return {
    async stop() {
      if (stopping) return exited;
      stopping = true;
      // Unreferenced while it runs, so it never keeps a finished process alive; referenced while
      // it stops, so the process waits for the close it was asked for.
      worker.ref();
      worker.postMessage("stop");
      await exited;
    },
  };
}
