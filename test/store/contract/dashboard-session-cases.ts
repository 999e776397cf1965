import type { DashboardSession } from "../../../src/core/ports/dashboard-session-store.js";
import type { StoreHarness } from "../store-harness.js";
import { at, atDate, unique } from "../deploy-fixtures.js";

/** Dashboard sessions: shared by replicas through the store, found by the cookie's hash, revocable. */
export function dashboardSessionCases(harness: () => StoreHarness): void {
  const store = () => harness().store;
  const session = (login: string, createdMinute: number, expiresMinute: number, extra: Partial<DashboardSession> = {}): DashboardSession => ({
    id: unique("ds"),
    tokenHash: unique("hash"),
    login,
    createdAt: at(createdMinute),
    expiresAt: at(expiresMinute),
    ...extra,
  });
  const mine = (all: readonly DashboardSession[], ids: readonly string[]) => all.filter((s) => ids.includes(s.id)).map((s) => s.id);

  describe("dashboard sessions", () => {
    it("finds a session by its token hash, with the API client it acts as", async () => {
      const plain = session(unique("alice"), 0, 600);
      const client = session("sandbox", 1, 600, { apiClient: "sandbox" });
      await store().createDashboardSession(plain);
      await store().createDashboardSession(client);
      expect(await store().findDashboardSession(plain.tokenHash)).toEqual(plain);
      expect(await store().findDashboardSession(client.tokenHash)).toEqual(client);
      expect(await store().findDashboardSession(unique("nohash"))).toBeUndefined();
    });

    it("a token hash belongs to one session only", async () => {
      const first = session(unique("bob"), 0, 600);
      await store().createDashboardSession(first);
      await expect(store().createDashboardSession({ ...session(unique("eve"), 0, 600), tokenHash: first.tokenHash })).rejects.toThrow();
      expect(await store().findDashboardSession(first.tokenHash)).toEqual(first);
    });

    it("lists active sessions newest first, and revokes one by id without touching the others", async () => {
      const login = unique("carol");
      const older = session(login, 10, 600);
      const newer = session(login, 20, 600);
      const expired = session(login, 5, 30);
      for (const s of [older, newer, expired]) await store().createDashboardSession(s);
      const ids = [older.id, newer.id, expired.id];
      expect(mine(await store().listDashboardSessions(atDate(40)), ids)).toEqual([newer.id, older.id]);
      const revoked = await store().revokeDashboardSessions({ id: older.id }, atDate(41));
      expect(revoked).toEqual([{ ...older, revokedAt: at(41) }]);
      expect(await store().findDashboardSession(older.tokenHash)).toEqual({ ...older, revokedAt: at(41) });
      expect(mine(await store().listDashboardSessions(atDate(42)), ids)).toEqual([newer.id]);
      // Revoking again revokes nothing and keeps the first time.
      expect(await store().revokeDashboardSessions({ id: older.id }, atDate(50))).toEqual([]);
      expect((await store().findDashboardSession(older.tokenHash))?.revokedAt).toBe(at(41));
    });

    it("revokes every active session of a login, compared without regard to case", async () => {
      const login = unique("Dave");
      const a = session(login, 0, 600);
      const b = session(login.toLowerCase(), 1, 600);
      const other = session(unique("erin"), 2, 600);
      for (const s of [a, b, other]) await store().createDashboardSession(s);
      const revoked = await store().revokeDashboardSessions({ login: login.toUpperCase() }, atDate(3));
      expect(revoked.map((s) => s.id)).toEqual([b.id, a.id]);
      expect((await store().findDashboardSession(other.tokenHash))?.revokedAt).toBeUndefined();
    });

    it("revoking all ends every active session", async () => {
      const a = session(unique("frank"), 0, 600);
      const b = session(unique("grace"), 1, 600);
      for (const s of [a, b]) await store().createDashboardSession(s);
      const revoked = await store().revokeDashboardSessions({ all: true }, atDate(2));
      expect(revoked.map((s) => s.id)).toEqual(expect.arrayContaining([a.id, b.id]));
      expect(mine(await store().listDashboardSessions(atDate(3)), [a.id, b.id])).toEqual([]);
    });

    it("forgets sessions that had expired when a new one is created", async () => {
      const stale = session(unique("heidi"), 0, 10);
      await store().createDashboardSession(stale);
      await store().createDashboardSession(session(unique("ivan"), 20, 600));
      expect(await store().findDashboardSession(stale.tokenHash)).toBeUndefined();
    });
  });
}
