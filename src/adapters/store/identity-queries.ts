import type { OAuthState, PersonalToken, SlackLink, SlackUserRef } from "../../core/ports/identity-store.js";
import type { OAuthStatesTable, PersonalTokensTable, SlackLinksTable } from "./schema.js";
import { write, type StoreContext } from "./store-context.js";

const linkFromRow = (row: SlackLinksTable): SlackLink => ({ teamId: row.team_id, userId: row.user_id, login: row.login, linkedAt: row.linked_at });
const stateFromRow = (row: OAuthStatesTable): OAuthState => ({
  stateHash: row.state_hash,
  teamId: row.team_id,
  userId: row.user_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});
const tokenFromRow = (row: PersonalTokensTable): PersonalToken => ({
  id: row.id,
  tokenHash: row.token_hash,
  teamId: row.team_id,
  userId: row.user_id,
  login: row.login,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
});

export async function putSlackLink(ctx: StoreContext, link: SlackLink): Promise<void> {
  const row = { team_id: link.teamId, user_id: link.userId, login: link.login, linked_at: link.linkedAt };
  await write(ctx, (trx) =>
    trx
      .insertInto("slack_links")
      .values(row)
      .onConflict((oc) => oc.columns(["team_id", "user_id"]).doUpdateSet({ login: row.login, linked_at: row.linked_at }))
      .execute(),
  );
}

export async function getSlackLink(ctx: StoreContext, user: SlackUserRef): Promise<SlackLink | undefined> {
  const row = await ctx.db.selectFrom("slack_links").selectAll().where("team_id", "=", user.teamId).where("user_id", "=", user.userId).executeTakeFirst();
  return row ? linkFromRow(row) : undefined;
}

/** One row per person: a scan of the links is cheaper than keeping an index on lower(login). */
export async function findSlackLinksByLogins(ctx: StoreContext, logins: readonly string[]): Promise<SlackLink[]> {
  if (logins.length === 0) return [];
  const wanted = [...new Set(logins.map((login) => login.toLowerCase()))];
  const rows = await ctx.db
    .selectFrom("slack_links")
    .selectAll()
    .where((eb) => eb(eb.fn("lower", ["login"]), "in", wanted))
    .orderBy("team_id")
    .orderBy("user_id")
    .execute();
  return rows.map(linkFromRow);
}

export async function deleteSlackLink(ctx: StoreContext, user: SlackUserRef): Promise<SlackLink | undefined> {
  const row = await write(ctx, (trx) =>
    trx.deleteFrom("slack_links").where("team_id", "=", user.teamId).where("user_id", "=", user.userId).returningAll().executeTakeFirst(),
  );
  return row ? linkFromRow(row) : undefined;
}

export async function createOAuthState(ctx: StoreContext, state: OAuthState): Promise<void> {
  await write(ctx, async (trx) => {
    await trx.deleteFrom("oauth_states").where("expires_at", "<", state.createdAt).execute();
    await trx
      .insertInto("oauth_states")
      .values({ state_hash: state.stateHash, team_id: state.teamId, user_id: state.userId, created_at: state.createdAt, expires_at: state.expiresAt })
      .execute();
  });
}

export async function findOAuthState(ctx: StoreContext, stateHash: string, now: Date): Promise<OAuthState | undefined> {
  const row = await ctx.db.selectFrom("oauth_states").selectAll().where("state_hash", "=", stateHash).where("expires_at", ">", now.toISOString()).executeTakeFirst();
  return row ? stateFromRow(row) : undefined;
}

/** The delete decides: of two callbacks racing with one state, exactly one gets the row back. */
export async function takeOAuthState(ctx: StoreContext, stateHash: string, now: Date): Promise<OAuthState | undefined> {
  const row = await write(ctx, (trx) => trx.deleteFrom("oauth_states").where("state_hash", "=", stateHash).returningAll().executeTakeFirst());
  return row && row.expires_at > now.toISOString() ? stateFromRow(row) : undefined;
}

export async function insertPersonalToken(ctx: StoreContext, token: PersonalToken): Promise<void> {
  await write(ctx, (trx) =>
    trx
      .insertInto("personal_tokens")
      .values({
        id: token.id,
        token_hash: token.tokenHash,
        team_id: token.teamId,
        user_id: token.userId,
        login: token.login,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
        revoked_at: token.revokedAt ?? null,
      })
      .execute(),
  );
}

export async function findPersonalToken(ctx: StoreContext, tokenHash: string): Promise<PersonalToken | undefined> {
  const row = await ctx.db.selectFrom("personal_tokens").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
  return row ? tokenFromRow(row) : undefined;
}

export async function listPersonalTokens(ctx: StoreContext, user: SlackUserRef): Promise<PersonalToken[]> {
  const rows = await ctx.db
    .selectFrom("personal_tokens")
    .selectAll()
    .where("team_id", "=", user.teamId)
    .where("user_id", "=", user.userId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map(tokenFromRow);
}

export async function revokePersonalToken(ctx: StoreContext, id: string, owner: SlackUserRef, at: Date): Promise<PersonalToken | undefined> {
  const row = await write(ctx, (trx) =>
    trx
      .updateTable("personal_tokens")
      .set({ revoked_at: at.toISOString() })
      .where("id", "=", id)
      .where("team_id", "=", owner.teamId)
      .where("user_id", "=", owner.userId)
      .where("revoked_at", "is", null)
      .returningAll()
      .executeTakeFirst(),
  );
  return row ? tokenFromRow(row) : undefined;
}
