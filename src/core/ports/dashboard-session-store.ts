/**
 * A signed-in dashboard visitor. The browser holds a random secret in its cookie; the store keeps
 * only the secret's hash, so a copy of the database signs nobody in.
 */
export interface DashboardSession {
  /** A short public id, shown in listings and used to revoke one session. */
  readonly id: string;
  readonly tokenHash: string;
  /** The GitHub login GitHub confirmed at sign-in (the sandbox's visitor: `sandbox`). */
  readonly login: string;
  /** Set when the visitor acts as a declared API client (the sandbox's own `sandbox` client). */
  readonly apiClient?: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
}

/** Which sessions a revocation ends: one by id, or every session of a login, or all of them. */
export type SessionSelector = { readonly id: string } | { readonly login: string } | { readonly all: true };

/** Dashboard sessions, shared by every replica through the store. Every write is atomic. */
export interface DashboardSessionStore {
  /** Records a session; sessions that expired before `session.createdAt` are forgotten in the same write. */
  createDashboardSession(session: DashboardSession): Promise<void>;
  /** The session with this token hash, revoked or expired ones included (the caller says why it is refused). */
  findDashboardSession(tokenHash: string): Promise<DashboardSession | undefined>;
  /** Sessions neither revoked nor expired at `now`, newest first. */
  listDashboardSessions(now: Date): Promise<DashboardSession[]>;
  /** Revokes the selected sessions still active at `at`; returns those it revoked. */
  revokeDashboardSessions(selector: SessionSelector, at: Date): Promise<DashboardSession[]>;
}
