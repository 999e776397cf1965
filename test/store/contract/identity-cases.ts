import type { PersonalToken } from "../../../src/core/ports/identity-store.js";
import type { StoreHarness } from "../store-harness.js";
import { at, atDate, unique } from "../deploy-fixtures.js";

/** Slack links, one-time OAuth states and personal tokens. */
export function identityCases(harness: () => StoreHarness): void {
  const store = () => harness().store;
  const user = () => ({ teamId: unique("T"), userId: unique("U") });

  describe("slack links", () => {
    it("stores, replaces and removes a user's link, keyed by workspace and user", async () => {
      const me = user();
      const sameIdElsewhere = { teamId: unique("T"), userId: me.userId };
      expect(await store().getSlackLink(me)).toBeUndefined();
      await store().putSlackLink({ ...me, login: "octocat", linkedAt: at(0) });
      await store().putSlackLink({ ...me, login: "octo-cat", linkedAt: at(1) });
      expect(await store().getSlackLink(me)).toEqual({ ...me, login: "octo-cat", linkedAt: at(1) });
      expect(await store().getSlackLink(sameIdElsewhere)).toBeUndefined();
      expect(await store().deleteSlackLink(me)).toEqual({ ...me, login: "octo-cat", linkedAt: at(1) });
      expect(await store().deleteSlackLink(me)).toBeUndefined();
      expect(await store().getSlackLink(me)).toBeUndefined();
    });

    it("finds the links to GitHub logins, compared without regard to case, in every workspace", async () => {
      const login = unique("Author");
      const [here, there, someoneElse] = [user(), user(), user()];
      await store().putSlackLink({ ...here, login, linkedAt: at(0) });
      await store().putSlackLink({ ...there, login: login.toLowerCase(), linkedAt: at(1) });
      await store().putSlackLink({ ...someoneElse, login: unique("other"), linkedAt: at(2) });
      const found = await store().findSlackLinksByLogins([login.toUpperCase(), unique("nobody")]);
      expect(found.map((link) => link.userId).sort()).toEqual([here.userId, there.userId].sort());
      expect(await store().findSlackLinksByLogins([])).toEqual([]);
    });
  });

  describe("oauth states", () => {
    it("a state is found until it expires and taken exactly once", async () => {
      const me = user();
      const stateHash = unique("state");
      await store().createOAuthState({ ...me, stateHash, createdAt: at(0), expiresAt: at(10) });
      expect(await store().findOAuthState(stateHash, atDate(5))).toMatchObject({ ...me, stateHash });
      expect(await store().findOAuthState(stateHash, atDate(10))).toBeUndefined();
      expect(await store().takeOAuthState(stateHash, atDate(5))).toEqual({ ...me, stateHash, createdAt: at(0), expiresAt: at(10) });
      expect(await store().takeOAuthState(stateHash, atDate(5))).toBeUndefined();
      expect(await store().findOAuthState(stateHash, atDate(5))).toBeUndefined();
    });

    it("an expired state is refused, and consumed all the same", async () => {
      const stateHash = unique("state");
      await store().createOAuthState({ ...user(), stateHash, createdAt: at(0), expiresAt: at(10) });
      expect(await store().takeOAuthState(stateHash, atDate(11))).toBeUndefined();
      expect(await store().takeOAuthState(stateHash, atDate(5))).toBeUndefined();
    });

    it("two stores racing for one state: exactly one takes it", async () => {
      const other = await harness().openAnother();
      const stateHash = unique("state");
      await store().createOAuthState({ ...user(), stateHash, createdAt: at(0), expiresAt: at(10) });
      const taken = await Promise.all([store().takeOAuthState(stateHash, atDate(1)), other.takeOAuthState(stateHash, atDate(1))]);
      expect(taken.filter((state) => state !== undefined)).toHaveLength(1);
    });
  });

  describe("personal tokens", () => {
    const token = (owner: { teamId: string; userId: string }, minute: number): PersonalToken => ({
      ...owner,
      id: unique("pt"),
      tokenHash: unique("hash"),
      login: "octocat",
      createdAt: at(minute),
      expiresAt: at(minute + 90 * 24 * 60),
    });

    it("finds a token by its hash and lists the owner's tokens newest first", async () => {
      const me = user();
      const first = token(me, 0);
      const second = token(me, 1);
      await store().insertPersonalToken(first);
      await store().insertPersonalToken(second);
      await store().insertPersonalToken(token(user(), 2));
      expect(await store().findPersonalToken(first.tokenHash)).toEqual(first);
      expect(await store().findPersonalToken(unique("hash"))).toBeUndefined();
      expect((await store().listPersonalTokens(me)).map((t) => t.id)).toEqual([second.id, first.id]);
    });

    it("only the owner revokes a token, once", async () => {
      const me = user();
      const mine = token(me, 0);
      await store().insertPersonalToken(mine);
      expect(await store().revokePersonalToken(mine.id, user(), atDate(1))).toBeUndefined();
      expect(await store().revokePersonalToken(mine.id, me, atDate(1))).toEqual({ ...mine, revokedAt: at(1) });
      expect(await store().revokePersonalToken(mine.id, me, atDate(2))).toBeUndefined();
      expect(await store().findPersonalToken(mine.tokenHash)).toEqual({ ...mine, revokedAt: at(1) });
    });

    it("a token hash is unique", async () => {
      const mine = token(user(), 0);
      await store().insertPersonalToken(mine);
      await expect(store().insertPersonalToken({ ...token(user(), 0), tokenHash: mine.tokenHash })).rejects.toThrow();
    });
  });
}
