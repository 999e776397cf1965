import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { StoreSchema } from "./schema.js";

export interface PostgresOptions {
  readonly url: string;
  /** Overrides `?schema=` in the URL; default "public". */
  readonly schema?: string;
  readonly poolSize?: number;
  readonly logger?: { warn(msg: string): void };
}

/** A down database must surface as an error within seconds: the core fails closed on it. */
const CONNECT_TIMEOUT_MS = 2500;
/** Guards against a wedged server or a forgotten lock holding a request forever. */
const STATEMENT_TIMEOUT_MS = 15000;
const DEFAULT_POOL_SIZE = 10;
const INT8_OID = 20;
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export interface PostgresDatabase {
  readonly db: Kysely<StoreSchema>;
  readonly schema: string;
}

/** Splits the store's own `schema` parameter off the URL: libpq does not know it. */
export function parsePostgresUrl(url: string): { connectionString: string; schema?: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? undefined;
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.toString(), ...(schema ? { schema } : {}) };
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

export function openPostgresDatabase(options: PostgresOptions): PostgresDatabase {
  const { connectionString, schema: urlSchema } = parsePostgresUrl(options.url);
  const schema = options.schema ?? urlSchema ?? "public";
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`store: schema "${schema}" must be letters, digits and underscores (at most 63), starting with a letter or underscore`);
  }
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    idleTimeoutMillis: 30000,
    // Every connection works in the store's schema, so queries stay unqualified.
    options: `-c search_path="${schema}"`,
    // int8 (audit ids, GitHub ids, count(*)) comes back as a number, as the model expects.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID && format !== "binary" ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // Without a listener, an idle connection dropped by the server would crash the process.
  pool.on("error", (error) => options.logger?.warn(`store: idle PostgreSQL connection failed: ${error.message}`));
  // The pool listens only while a client is idle; one that loses its connection while checked out
  // emits "error" too (its query already failed), and unheard that would crash the process as well.
  pool.on("connect", (client) => client.on("error", (error) => options.logger?.warn(`store: PostgreSQL connection lost: ${error.message}`)));
  return { db: new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) }), schema };
}
