import { openStore } from "../../../src/adapters/store/open-store.js";
import { at, unique } from "../deploy-fixtures.js";

/**
 * The store contract's token-hash case, on its own: the second insert must reject with an Error
 * that this test file's `expect` recognises. Two fixture files run it one after the other in one
 * Jest worker (see sqlite-error-realm.test.ts).
 */
export function uniqueViolationRejectsWithAnError(): void {
  it("a duplicate token hash rejects with an Error of this test file's realm", async () => {
    const store = await openStore({ sqlitePath: ":memory:" });
    try {
      const owner = { teamId: unique("T"), userId: unique("U") };
      const token = { ...owner, id: unique("pt"), tokenHash: unique("hash"), login: "octocat", createdAt: at(0), expiresAt: at(60) };
      await store.insertPersonalToken(token);
      const duplicate = store.insertPersonalToken({ ...token, id: unique("pt") });
      await expect(duplicate).rejects.toThrow(/UNIQUE constraint failed: personal_tokens.token_hash/);
      await expect(duplicate).rejects.toBeInstanceOf(Error);
    } finally {
      await store.close();
    }
  });
}
