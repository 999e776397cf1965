import { sql, type Kysely } from "kysely";
import { openSqliteDatabase } from "../../src/adapters/store/sqlite-database.js";
import type { StoreSchema } from "../../src/adapters/store/schema.js";
import { WriteBatch } from "../../src/adapters/store/write-batch.js";

/** A bare SQLite database with one table; `commits` counts the transactions that committed. */
async function database(): Promise<{ db: Kysely<StoreSchema>; rows: () => Promise<string[]>; commits: () => number }> {
  const db = openSqliteDatabase(":memory:");
  await sql`create table notes (text varchar not null check (text <> 'bad'))`.execute(db);
  let commits = 0;
  const transaction = db.transaction.bind(db);
  db.transaction = () => {
    const builder = transaction();
    const execute = builder.execute.bind(builder);
    return Object.assign(builder, { execute: async (work: Parameters<typeof execute>[0]) => execute(work).then((result) => ((commits += 1), result)) }) as typeof builder;
  };
  return {
    db,
    rows: async () => (await sql<{ text: string }>`select text from notes order by rowid`.execute(db)).rows.map((row) => row.text),
    commits: () => commits,
  };
}

const note = (text: string) => (trx: Kysely<StoreSchema>) => sql`insert into notes (text) values (${text})`.execute(trx);

describe("WriteBatch: small writes of one turn of the event loop share a transaction", () => {
  test("writes issued together land in one commit, in order, and each caller hears of it after the commit", async () => {
    const { db, rows, commits } = await database();
    const batch = new WriteBatch({ db });
    await Promise.all(["a", "b", "c"].map((text) => batch.add(note(text))));
    expect(await rows()).toEqual(["a", "b", "c"]);
    expect(commits()).toBe(1);
    await batch.add(note("d"));
    expect(commits()).toBe(2);
    await db.destroy();
  });

  test("a write that fails fails only its own caller: the others are written again alone", async () => {
    const { db, rows } = await database();
    const batch = new WriteBatch({ db });
    const results = await Promise.allSettled(["a", "bad", "c"].map((text) => batch.add(note(text))));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/CHECK constraint failed/);
    expect(await rows()).toEqual(["a", "c"]);
    await db.destroy();
  });

  test("flush() writes what is pending at once (a store flushes before it closes)", async () => {
    const { db, rows } = await database();
    const batch = new WriteBatch({ db });
    const pending = batch.add(note("last"));
    await batch.flush();
    expect(await rows()).toEqual(["last"]);
    await pending;
    await db.destroy();
  });
});
