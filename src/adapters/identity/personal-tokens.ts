import { createHash, randomBytes } from "node:crypto";
import type { PeopleDirectory } from "../../core/identity/people-directory.js";
import type { IdentityStore, PersonalToken, SlackUserRef } from "../../core/ports/identity-store.js";
import type { PersonalTokenCheck, PersonalTokenVerifier } from "../http/bearer-auth.js";

/** Personal tokens start with this, so the API knows to look them up in the store. */
export const PERSONAL_TOKEN_PREFIX = "wsp_";
export const PERSONAL_TOKEN_DAYS = 90;
const DAY_MS = 86_400_000;

export const hashSecret = (secret: string): string => createHash("sha256").update(secret, "utf8").digest("hex");

/** A new token for `owner`, acting as `login`: the secret is returned once and only its hash is kept. */
export function newPersonalToken(owner: SlackUserRef, login: string, now: Date): { secret: string; record: PersonalToken } {
  const secret = `${PERSONAL_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const record: PersonalToken = {
    ...owner,
    id: `pt-${randomBytes(4).toString("hex")}`,
    tokenHash: hashSecret(secret),
    login,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + PERSONAL_TOKEN_DAYS * DAY_MS).toISOString(),
  };
  return { secret, record };
}

/**
 * Checks a presented personal token: known, not revoked, not expired, and its owner still resolves
 * to the same GitHub login (an unlinked person's tokens stop working). The actor is that person,
 * with every check a Slack command of theirs gets.
 */
export class StoredPersonalTokens implements PersonalTokenVerifier {
  constructor(
    private readonly store: Pick<IdentityStore, "findPersonalToken">,
    private readonly directory: PeopleDirectory,
    private readonly now: () => Date,
  ) {}

  recognises(presented: string): boolean {
    return presented.startsWith(PERSONAL_TOKEN_PREFIX);
  }

  async verify(presented: string): Promise<PersonalTokenCheck> {
    const token = await this.store.findPersonalToken(hashSecret(presented));
    const renew = "Get a new one with `/deploy token` in Slack.";
    if (!token) return { ok: false, message: `This personal token is not known. ${renew}` };
    if (token.revokedAt) return { ok: false, message: `Personal token ${token.id} was revoked. ${renew}` };
    if (token.expiresAt <= this.now().toISOString()) return { ok: false, message: `Personal token ${token.id} expired on ${token.expiresAt.slice(0, 10)}. ${renew}` };
    const person = await this.directory.resolve(token);
    if (person.login?.toLowerCase() !== token.login.toLowerCase()) {
      return { ok: false, message: `Personal token ${token.id} acts as ${token.login}, but its owner's Slack account is no longer linked to that login. Link again with \`/deploy link\`, then get a new token.` };
    }
    return {
      ok: true,
      tokenId: token.id,
      actor: { surface: "api", name: person.login, login: person.login, slackUserId: token.userId, ...(token.teamId ? { slackTeamId: token.teamId } : {}) },
    };
  }
}
