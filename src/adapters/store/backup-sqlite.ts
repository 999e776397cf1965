import { existsSync } from "node:fs";
import Database from "better-sqlite3";

/**
 * Copies a live SQLite store into a new file with SQLite's online backup: a consistent snapshot
 * taken page by page while servers keep writing. Never overwrites a file.
 */
export async function backupSqlite(source: string, target: string): Promise<void> {
  if (!existsSync(source)) throw new Error(`there is no SQLite store at ${source}; set WHISTLESTOP_DB to the store's file (default ./data/whistlestop.db)`);
  if (existsSync(target)) throw new Error(`${target} already exists; a backup never overwrites a file, so choose a new name`);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
}
