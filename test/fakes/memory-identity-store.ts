import type { DashboardSession, DashboardSessionStore, SessionSelector } from "../../src/core/ports/dashboard-session-store.js";
import type { IdentityStore, OAuthState, PersonalToken, SlackLink, SlackUserRef } from "../../src/core/ports/identity-store.js";

const userKey = (user: SlackUserRef): string => `${user.teamId}/${user.userId}`;

/** The identity rows of the in-memory database. */
export class MemoryIdentityRows {
  readonly links = new Map<string, SlackLink>();
  readonly states = new Map<string, OAuthState>();
  readonly tokens = new Map<string, PersonalToken>();
  readonly sessions = new Map<string, DashboardSession>();
}

/** The identity half of the in-memory store (core tests never read it; it only has to be right). */
export class MemoryIdentityStore implements IdentityStore, DashboardSessionStore {
  constructor(protected readonly db: MemoryIdentityRows = new MemoryIdentityRows()) {}

  /** Throws as an unreachable or closed database would. */
  protected check(): void {}

  async putSlackLink(link: SlackLink): Promise<void> {
    this.check();
    this.db.links.set(userKey(link), link);
  }
  async getSlackLink(user: SlackUserRef): Promise<SlackLink | undefined> {
    this.check();
    return this.db.links.get(userKey(user));
  }
  async findSlackLinksByLogins(logins: readonly string[]): Promise<SlackLink[]> {
    this.check();
    const wanted = new Set(logins.map((login) => login.toLowerCase()));
    return [...this.db.links.values()].filter((link) => wanted.has(link.login.toLowerCase())).sort((a, b) => userKey(a).localeCompare(userKey(b)));
  }
  async deleteSlackLink(user: SlackUserRef): Promise<SlackLink | undefined> {
    this.check();
    const link = this.db.links.get(userKey(user));
    this.db.links.delete(userKey(user));
    return link;
  }
  async createOAuthState(state: OAuthState): Promise<void> {
    this.check();
    this.db.states.set(state.stateHash, state);
  }
  async findOAuthState(stateHash: string, now: Date): Promise<OAuthState | undefined> {
    this.check();
    const state = this.db.states.get(stateHash);
    return state && state.expiresAt > now.toISOString() ? state : undefined;
  }
  async takeOAuthState(stateHash: string, now: Date): Promise<OAuthState | undefined> {
    this.check();
    const state = this.db.states.get(stateHash);
    this.db.states.delete(stateHash);
    return state && state.expiresAt > now.toISOString() ? state : undefined;
  }
  async insertPersonalToken(token: PersonalToken): Promise<void> {
    this.check();
    // The token hash is unique, as in the databases: a clash must fail, never shadow a token.
    if ([...this.db.tokens.values()].some((t) => t.tokenHash === token.tokenHash)) throw new Error("a personal token with this hash exists");
    this.db.tokens.set(token.id, token);
  }
  async findPersonalToken(tokenHash: string): Promise<PersonalToken | undefined> {
    this.check();
    return [...this.db.tokens.values()].find((t) => t.tokenHash === tokenHash);
  }
  async listPersonalTokens(user: SlackUserRef): Promise<PersonalToken[]> {
    this.check();
    return [...this.db.tokens.values()].filter((t) => userKey(t) === userKey(user)).reverse();
  }
  async revokePersonalToken(id: string, owner: SlackUserRef, at: Date): Promise<PersonalToken | undefined> {
    this.check();
    const token = this.db.tokens.get(id);
    if (!token || token.revokedAt || userKey(token) !== userKey(owner)) return undefined;
    const revoked = { ...token, revokedAt: at.toISOString() };
    this.db.tokens.set(id, revoked);
    return revoked;
  }

  async createDashboardSession(session: DashboardSession): Promise<void> {
    this.check();
    if ([...this.db.sessions.values()].some((s) => s.tokenHash === session.tokenHash || s.id === session.id)) throw new Error("a dashboard session with this id or hash exists");
    for (const [id, old] of this.db.sessions) if (old.expiresAt < session.createdAt) this.db.sessions.delete(id);
    this.db.sessions.set(session.id, session);
  }
  async findDashboardSession(tokenHash: string): Promise<DashboardSession | undefined> {
    this.check();
    return [...this.db.sessions.values()].find((s) => s.tokenHash === tokenHash);
  }
  async listDashboardSessions(now: Date): Promise<DashboardSession[]> {
    this.check();
    return newestFirst([...this.db.sessions.values()].filter((s) => !s.revokedAt && s.expiresAt > now.toISOString()));
  }
  async revokeDashboardSessions(selector: SessionSelector, at: Date): Promise<DashboardSession[]> {
    this.check();
    const chosen = (s: DashboardSession) => ("id" in selector ? s.id === selector.id : "login" in selector ? s.login.toLowerCase() === selector.login.toLowerCase() : true);
    const revoked: DashboardSession[] = [];
    for (const session of [...this.db.sessions.values()]) {
      if (session.revokedAt || session.expiresAt <= at.toISOString() || !chosen(session)) continue;
      const ended = { ...session, revokedAt: at.toISOString() };
      this.db.sessions.set(session.id, ended);
      revoked.push(ended);
    }
    return newestFirst(revoked);
  }
}

const newestFirst = (sessions: DashboardSession[]): DashboardSession[] => sessions.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
