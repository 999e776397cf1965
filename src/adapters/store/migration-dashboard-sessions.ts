import type { Kysely } from "kysely";

/**
 * 0014_dashboard_sessions: dashboard sign-ins, in the store so every replica knows them and an
 * operator can revoke them. The cookie's secret is never stored, only its SHA-256.
 */
export async function addDashboardSessions(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("dashboard_sessions")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("token_hash", "text", (col) => col.notNull().unique())
    .addColumn("login", "text", (col) => col.notNull())
    .addColumn("api_client", "text")
    .addColumn("created_at", "text", (col) => col.notNull())
    .addColumn("expires_at", "text", (col) => col.notNull())
    .addColumn("revoked_at", "text")
    .execute();
  // Revoking a person's sessions, and forgetting expired ones at each sign-in.
  await db.schema.createIndex("dashboard_sessions_login").on("dashboard_sessions").column("login").execute();
  await db.schema.createIndex("dashboard_sessions_expires").on("dashboard_sessions").column("expires_at").execute();
}
