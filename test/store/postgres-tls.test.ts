import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { openStore } from "../../src/adapters/store/open-store.js";
import { openPostgresDatabase } from "../../src/adapters/store/postgres-database.js";
import { startEmbeddedPostgres, type EmbeddedServer } from "../global/global-setup.js";

/**
 * `sslmode` in DATABASE_URL decides TLS to PostgreSQL. A PostgreSQL that accepts only TLS
 * connections (pg_hba `hostssl`), with a certificate from a CA of the test's own, shows what
 * each mode does through the store's own connection code.
 */
let server: EmbeddedServer;
let certs: string;

function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Whistlestop test CA");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext");
}

beforeAll(async () => {
  certs = mkdtempSync(join(tmpdir(), "whistlestop-pg-tls-"));
  makeCertificates(certs);
  server = await startEmbeddedPostgres({
    postgresFlags: ["-c", "ssl=on", "-c", "ssl_cert_file=server.crt", "-c", "ssl_key_file=server.key"],
    beforeStart(dataDir) {
      // The server reads its key only when the key belongs to it and nobody else can read it.
      const { uid, gid } = statSync(dataDir);
      for (const name of ["server.crt", "server.key"]) {
        writeFileSync(join(dataDir, name), readFileSync(join(certs, name)), { mode: 0o600 });
        chownSync(join(dataDir, name), uid, gid);
      }
      const hba = join(dataDir, "pg_hba.conf");
      writeFileSync(hba, readFileSync(hba, "utf8").replace(/^host(\s)/gm, "hostssl$1"));
    },
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(certs, { recursive: true, force: true });
});

const url = (query: string) => `${server.url("postgres")}?${query}`;

async function connectionIsEncrypted(databaseUrl: string): Promise<boolean> {
  const { db } = openPostgresDatabase({ url: databaseUrl });
  try {
    const { rows } = await sql<{ ssl: boolean }>`select ssl from pg_stat_ssl where pid = pg_backend_pid()`.execute(db);
    return rows[0]!.ssl;
  } finally {
    await db.destroy();
  }
}

describe("PostgreSQL over TLS, by sslmode in DATABASE_URL", () => {
  test("verify-full with the CA in sslrootcert: the store opens, encrypted", async () => {
    const databaseUrl = url(`sslmode=verify-full&sslrootcert=${join(certs, "ca.pem")}`);
    expect(await connectionIsEncrypted(databaseUrl)).toBe(true);
    const store = await openStore({ databaseUrl, schema: "tls_check" });
    await store.ping();
    await store.close();
  });

  test("require is checked like verify-full: encrypted with the CA, refused without it", async () => {
    expect(await connectionIsEncrypted(url(`sslmode=require&sslrootcert=${join(certs, "ca.pem")}`))).toBe(true);
    await expect(openStore({ databaseUrl: url("sslmode=require") })).rejects.toThrow(/Cannot open the PostgreSQL store .*certificate/i);
  });

  test("verify-full refuses a server whose certificate does not chain to a trusted CA", async () => {
    await expect(openStore({ databaseUrl: url("sslmode=verify-full") })).rejects.toThrow(/Cannot open the PostgreSQL store .*certificate/i);
  });

  test("disable is refused by a server that accepts only TLS, and says so", async () => {
    await expect(openStore({ databaseUrl: url("sslmode=disable") })).rejects.toThrow(/no encryption/);
  });
});
