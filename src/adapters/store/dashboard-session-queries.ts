import type { DashboardSession, SessionSelector } from "../../core/ports/dashboard-session-store.js";
import type { DashboardSessionsTable } from "./schema.js";
import { write, type StoreContext } from "./store-context.js";

const sessionFromRow = (row: DashboardSessionsTable): DashboardSession => ({
  id: row.id,
  tokenHash: row.token_hash,
  login: row.login,
  ...(row.api_client ? { apiClient: row.api_client } : {}),
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
});

export async function createDashboardSession(ctx: StoreContext, session: DashboardSession): Promise<void> {
  await write(ctx, async (trx) => {
    await trx.deleteFrom("dashboard_sessions").where("expires_at", "<", session.createdAt).execute();
    await trx
      .insertInto("dashboard_sessions")
      .values({
        id: session.id,
        token_hash: session.tokenHash,
        login: session.login,
        api_client: session.apiClient ?? null,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        revoked_at: session.revokedAt ?? null,
      })
      .execute();
  });
}

export async function findDashboardSession(ctx: StoreContext, tokenHash: string): Promise<DashboardSession | undefined> {
  const row = await ctx.db.selectFrom("dashboard_sessions").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
  return row ? sessionFromRow(row) : undefined;
}

export async function listDashboardSessions(ctx: StoreContext, now: Date): Promise<DashboardSession[]> {
  const rows = await ctx.db
    .selectFrom("dashboard_sessions")
    .selectAll()
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map(sessionFromRow);
}

/** Logins compare without regard to case, as GitHub's do. */
export async function revokeDashboardSessions(ctx: StoreContext, selector: SessionSelector, at: Date): Promise<DashboardSession[]> {
  const rows = await write(ctx, (trx) => {
    let query = trx
      .updateTable("dashboard_sessions")
      .set({ revoked_at: at.toISOString() })
      .where("revoked_at", "is", null)
      .where("expires_at", ">", at.toISOString());
    if ("id" in selector) query = query.where("id", "=", selector.id);
    else if ("login" in selector) query = query.where((eb) => eb(eb.fn("lower", ["login"]), "=", selector.login.toLowerCase()));
    return query.returningAll().execute();
  });
  return rows.map(sessionFromRow).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}
