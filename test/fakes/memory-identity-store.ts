import type { IdentityStore, OAuthState, PersonalToken, SlackLink, SlackUserRef } from "../../src/core/ports/identity-store.js";

const userKey = (user: SlackUserRef): string => `${user.teamId}/${user.userId}`;

/** The identity half of the in-memory store (core tests never read it; it only has to be right). */
export class MemoryIdentityStore implements IdentityStore {
  private readonly links = new Map<string, SlackLink>();
  private readonly states = new Map<string, OAuthState>();
  private readonly tokens = new Map<string, PersonalToken>();

  async putSlackLink(link: SlackLink): Promise<void> {
    this.links.set(userKey(link), link);
  }
  async getSlackLink(user: SlackUserRef): Promise<SlackLink | undefined> {
    return this.links.get(userKey(user));
  }
  async deleteSlackLink(user: SlackUserRef): Promise<SlackLink | undefined> {
    const link = this.links.get(userKey(user));
    this.links.delete(userKey(user));
    return link;
  }
  async createOAuthState(state: OAuthState): Promise<void> {
    this.states.set(state.stateHash, state);
  }
  async findOAuthState(stateHash: string, now: Date): Promise<OAuthState | undefined> {
    const state = this.states.get(stateHash);
    return state && state.expiresAt > now.toISOString() ? state : undefined;
  }
  async takeOAuthState(stateHash: string, now: Date): Promise<OAuthState | undefined> {
    const state = this.states.get(stateHash);
    this.states.delete(stateHash);
    return state && state.expiresAt > now.toISOString() ? state : undefined;
  }
  async insertPersonalToken(token: PersonalToken): Promise<void> {
    this.tokens.set(token.id, token);
  }
  async findPersonalToken(tokenHash: string): Promise<PersonalToken | undefined> {
    return [...this.tokens.values()].find((t) => t.tokenHash === tokenHash);
  }
  async listPersonalTokens(user: SlackUserRef): Promise<PersonalToken[]> {
    return [...this.tokens.values()].filter((t) => userKey(t) === userKey(user)).reverse();
  }
  async revokePersonalToken(id: string, owner: SlackUserRef, at: string): Promise<PersonalToken | undefined> {
    const token = this.tokens.get(id);
    if (!token || token.revokedAt || userKey(token) !== userKey(owner)) return undefined;
    const revoked = { ...token, revokedAt: at };
    this.tokens.set(id, revoked);
    return revoked;
  }
}
