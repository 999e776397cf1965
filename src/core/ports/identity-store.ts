/** A Slack user: a user id is unique only within its workspace (team). */
export interface SlackUserRef {
  /** The workspace id; "" for requests that did not carry one. */
  readonly teamId: string;
  readonly userId: string;
}

/** A link a person made with `/deploy link`: GitHub confirmed they own `login`. */
export interface SlackLink extends SlackUserRef {
  readonly login: string;
  readonly linkedAt: string;
}

/** A one-time OAuth `state`, kept only as its hash; bound to the Slack user who asked for it. */
export interface OAuthState extends SlackUserRef {
  readonly stateHash: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** A personal API token from `/deploy token`, kept only as its hash; it acts as `login`. */
export interface PersonalToken extends SlackUserRef {
  readonly id: string;
  readonly tokenHash: string;
  readonly login: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
}

/** Who is who: links, OAuth states and personal tokens. Every write is atomic in every dialect. */
export interface IdentityStore {
  /** Creates or replaces the user's link. */
  putSlackLink(link: SlackLink): Promise<void>;
  getSlackLink(user: SlackUserRef): Promise<SlackLink | undefined>;
  /** Every link to one of these GitHub logins, compared without regard to case (who to mention for a PR's author). */
  findSlackLinksByLogins(logins: readonly string[]): Promise<SlackLink[]>;
  /** Removes the user's link; returns it, or undefined when there was none. */
  deleteSlackLink(user: SlackUserRef): Promise<SlackLink | undefined>;
  /** Records a state; states that expired before `state.createdAt` are forgotten in the same write. */
  createOAuthState(state: OAuthState): Promise<void>;
  /** The state when it exists and has not expired at `now`; it stays usable. */
  findOAuthState(stateHash: string, now: Date): Promise<OAuthState | undefined>;
  /** Single use: removes the state and returns it when it had not expired at `now`; a second call gets undefined. */
  takeOAuthState(stateHash: string, now: Date): Promise<OAuthState | undefined>;
  insertPersonalToken(token: PersonalToken): Promise<void>;
  findPersonalToken(tokenHash: string): Promise<PersonalToken | undefined>;
  /** The user's tokens, newest first, revoked and expired ones included. */
  listPersonalTokens(user: SlackUserRef): Promise<PersonalToken[]>;
  /** Revokes one of the user's own tokens; undefined when the user has no such token or it was revoked already. */
  revokePersonalToken(id: string, owner: SlackUserRef, at: Date): Promise<PersonalToken | undefined>;
}
