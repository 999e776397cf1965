import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Store } from "../../src/core/ports/store.js";
import { openStore } from "../../src/adapters/store/open-store.js";
import { MemoryDatabase, MemoryStore } from "../fakes/memory-store.js";
import { redactUrl } from "../../src/adapters/store/postgres-database.js";

/** One database under test, reachable through several independent Store instances. */
export interface StoreHarness {
  readonly dialect: "sqlite" | "postgres" | "memory";
  /** The suite's main store. */
  readonly store: Store;
  /** Another Store on the same database, with its own connection(s); closed by tearDown. */
  openAnother(): Promise<Store>;
  tearDown(): Promise<void>;
}

export interface HarnessFactory<Name extends StoreHarness["dialect"] = "sqlite" | "postgres"> {
  readonly name: Name;
  setUp(): Promise<StoreHarness>;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function tracking(dialect: StoreHarness["dialect"], open: () => Promise<Store>, cleanUp: () => Promise<void>): Promise<StoreHarness> {
  const opened: Store[] = [];
  const openTracked = async (): Promise<Store> => {
    const store = await open();
    opened.push(store);
    return store;
  };
  return openTracked().then((store) => ({
    dialect,
    store,
    openAnother: openTracked,
    async tearDown() {
      await Promise.all(opened.map((s) => s.close()));
      await cleanUp();
    },
  }));
}

const sqlite: HarnessFactory = {
  name: "sqlite",
  setUp() {
    const dir = mkdtempSync(join(tmpdir(), "whistlestop-store-"));
    const sqlitePath = join(dir, "nested", "store.db");
    return tracking(
      "sqlite",
      () => openStore({ sqlitePath }),
      async () => rmSync(dir, { recursive: true, force: true }),
    );
  },
};

/** A client on the test PostgreSQL, or an error that says how to get one. */
export async function connectOrExplain(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(
      `PostgreSQL is not reachable at ${redactUrl(url)} (${(error as Error).message}). ` +
        "Start it (pg_ctlcluster --skip-systemctl-redirect <version> main start), point TEST_DATABASE_URL at a server, " +
        "or leave TEST_DATABASE_URL unset with nothing on 127.0.0.1:5432 and the suite starts an embedded PostgreSQL.",
    );
  }
}

const postgres: HarnessFactory = {
  name: "postgres",
  async setUp() {
    const admin = await connectOrExplain(TEST_DATABASE_URL);
    const schema = `ws_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    return tracking(
      "postgres",
      () => openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 10 }),
      async () => {
        await admin.query(`drop schema if exists "${schema}" cascade`);
        await admin.end();
      },
    );
  },
};

/** The real databases (migrations, start-up and the CLI run against these). */
export const HARNESSES: HarnessFactory[] = [sqlite, postgres];

/**
 * The core tests' MemoryStore, held to the same contract so it cannot drift from the databases.
 * Every Store it opens shares one in-memory database, each with its own open/closed state.
 */
const memory: HarnessFactory<"memory"> = {
  name: "memory",
  setUp() {
    const database = new MemoryDatabase();
    return tracking("memory", async () => new MemoryStore(database), async () => undefined);
  },
};

/** Every Store implementation the contract suite holds to the same cases. */
export const CONTRACT_HARNESSES: Array<HarnessFactory<StoreHarness["dialect"]>> = [...HARNESSES, memory];
