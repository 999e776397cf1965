import { isAbsolute, resolve } from "node:path";
import { backupSqlite } from "../adapters/store/backup-sqlite.js";
import type { MigrationReport } from "../adapters/store/migrate-store.js";
import { DEFAULT_SQLITE_PATH, openStore, storeOptionsFromEnv } from "../adapters/store/open-store.js";
import { redactUrl } from "../adapters/store/postgres-database.js";
import { whistlestopVersion } from "./project-root.js";
import { runSessionsCommand } from "./session-commands.js";
import { resolveSecretFiles } from "./settings/secret-files.js";
import type { CliIo } from "../cli/cli-io.js";

const fail = (io: CliIo, message: string): number => {
  io.stderr.write(`${message}\n`);
  return 1;
};

/**
 * `whistlestop migrate` (bring the store's schema up to date and exit) and `whistlestop backup
 * <file>` (copy a live SQLite store). Both find the store as the server does: DATABASE_URL
 * (or DATABASE_URL_FILE), else WHISTLESTOP_DB, else ./data/whistlestop.db.
 */
export async function runStoreCommand(invocation: { kind: "migrate" } | { kind: "backup"; file: string } | { kind: "sessions"; revoke?: string }, io: CliIo): Promise<number> {
  if (invocation.kind === "sessions") return runSessionsCommand(invocation.revoke, io);
  const secrets = resolveSecretFiles({ ...io.env });
  if (secrets.problems.length > 0) return fail(io, `whistlestop ${invocation.kind}: ${secrets.problems.join("\n  ")}`);
  const options = storeOptionsFromEnv(secrets.env);
  const fromCwd = (path: string) => (isAbsolute(path) ? path : resolve(io.cwd, path));
  const where = options.databaseUrl ? `PostgreSQL store at ${redactUrl(options.databaseUrl)}` : `SQLite store at ${options.sqlitePath ?? DEFAULT_SQLITE_PATH}`;
  if (invocation.kind === "backup") {
    if (options.databaseUrl) {
      return fail(io, "whistlestop backup copies SQLite stores; DATABASE_URL points at PostgreSQL, so use pg_dump (docs/operations.md, Backup and restore).");
    }
    try {
      await backupSqlite(fromCwd(options.sqlitePath ?? DEFAULT_SQLITE_PATH), fromCwd(invocation.file));
    } catch (error) {
      return fail(io, `whistlestop backup: ${(error as Error).message}`);
    }
    io.stdout.write(`backed up the ${where} to ${invocation.file}\n`);
    return 0;
  }
  let report: MigrationReport | undefined;
  try {
    const sqlitePath = options.sqlitePath === undefined ? undefined : fromCwd(options.sqlitePath);
    const store = await openStore({ ...options, ...(sqlitePath ? { sqlitePath } : {}), release: whistlestopVersion(), onMigrated: (r) => (report = r) });
    await store.close();
  } catch (error) {
    return fail(io, `whistlestop migrate: ${(error as Error).message}`);
  }
  const applied = report?.applied ?? [];
  io.stdout.write(
    applied.length
      ? `${where}: applied ${applied.join(", ")}; the schema is at ${report?.version}\n`
      : `${where}: the schema is already at ${report?.version}; nothing to do\n`,
  );
  return 0;
}
