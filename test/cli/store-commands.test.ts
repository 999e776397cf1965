import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { storeMigrations } from "../../src/adapters/store/migrations.js";
import { openStore } from "../../src/adapters/store/open-store.js";
import { ExitCode } from "../../src/cli/exit-codes.js";
import { runCli } from "../../src/cli/main.js";
import { HARNESSES, TEST_DATABASE_URL } from "../store/store-harness.js";
import { testIo } from "./fake-whistlestop.js";

const MIGRATIONS = Object.keys(storeMigrations("sqlite")).sort();
const LATEST = MIGRATIONS.at(-1)!;

describe("whistlestop migrate and backup", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "whistlestop-cli-store-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("migrate applies what is missing and says so; run again, it has nothing to do", async () => {
    const env = { WHISTLESTOP_DB: join(dir, "store.db") };
    const first = testIo({ env, cwd: dir });
    expect(await runCli(["migrate"], first)).toBe(0);
    expect(first.stdout.text).toBe(`SQLite store at ${env.WHISTLESTOP_DB}: applied ${MIGRATIONS.join(", ")}; the schema is at ${LATEST}\n`);
    const again = testIo({ env, cwd: dir });
    expect(await runCli(["migrate"], again)).toBe(0);
    expect(again.stdout.text).toBe(`SQLite store at ${env.WHISTLESTOP_DB}: the schema is already at ${LATEST}; nothing to do\n`);
  });

  test.each(HARNESSES.filter((h) => h.name === "postgres").map((h) => h.name))("migrate on %s, in the schema DATABASE_URL names", async () => {
    const schema = `ws_cli_${process.pid}_${randomBytes(4).toString("hex")}`;
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set("schema", schema);
    const io = testIo({ env: { DATABASE_URL: url.toString() } });
    try {
      expect(await runCli(["migrate"], io)).toBe(0);
      expect(io.stdout.text).toContain(`: applied ${MIGRATIONS.join(", ")}; the schema is at ${LATEST}`);
    } finally {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    }
  });

  test("backup copies the live store (a server has it open), and never overwrites", async () => {
    const db = join(dir, "store.db");
    const live = await openStore({ sqlitePath: db });
    try {
      await live.appendAudit({ at: "2027-01-01T00:00:00.000Z", actor: "alice", surface: "api", action: "deploy", outcome: "started", deployId: "d-1" });
      const io = testIo({ env: { WHISTLESTOP_DB: db }, cwd: dir });
      expect(await runCli(["backup", "copy.db"], io)).toBe(0);
      expect(io.stdout.text).toBe(`backed up the SQLite store at ${db} to copy.db\n`);
      await live.appendAudit({ at: "2027-01-02T00:00:00.000Z", actor: "bob", surface: "api", action: "deploy", outcome: "started", deployId: "d-2" });

      const copy = await openStore({ sqlitePath: join(dir, "copy.db") });
      expect((await copy.listAudit({})).map((e) => e.actor)).toEqual(["alice"]);
      await copy.close();

      const again = testIo({ env: { WHISTLESTOP_DB: db }, cwd: dir });
      expect(await runCli(["backup", "copy.db"], again)).toBe(1);
      expect(again.stderr.text).toBe(`whistlestop backup: ${join(dir, "copy.db")} already exists; a backup never overwrites a file, so choose a new name\n`);
    } finally {
      await live.close();
    }
  });

  test("backup explains what to use instead on PostgreSQL, and what is wrong with a missing store", async () => {
    const postgres = testIo({ env: { DATABASE_URL: "postgres://whistlestop:secret@db.internal/whistlestop" }, cwd: dir });
    expect(await runCli(["backup", "copy.db"], postgres)).toBe(1);
    expect(postgres.stderr.text).toContain("whistlestop backup copies SQLite stores; DATABASE_URL points at PostgreSQL, so use pg_dump");
    const missing = testIo({ env: { WHISTLESTOP_DB: join(dir, "nothing.db") }, cwd: dir });
    expect(await runCli(["backup", "copy.db"], missing)).toBe(1);
    expect(missing.stderr.text).toContain("there is no SQLite store at");
    expect(existsSync(join(dir, "copy.db"))).toBe(false);
    const usage = testIo({ cwd: dir });
    expect(await runCli(["backup"], usage)).toBe(ExitCode.usageOrConnection);
    expect(usage.stderr.text).toContain("usage: whistlestop backup <file>");
  });
});
