import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Actor } from "../../core/model/actor.js";
import type { Clock } from "../../core/ports/clock.js";
import type { DashboardSession, DashboardSessionStore } from "../../core/ports/dashboard-session-store.js";
import { cookieHeader, readCookies, type SignedValues } from "./signed-values.js";

export const SESSION_COOKIE = "whistlestop_session";
/** A working day and a bit: long enough for a shift, short enough that a lost laptop's session ends. */
export const SESSION_TTL_MS = 12 * 3_600_000;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (secret: string): string => createHash("sha256").update(secret, "utf8").digest("hex");

/** A request's signed-in visitor: the stored session and the secret its cookie carries. */
export interface SignedIn {
  readonly session: DashboardSession;
  /** The CSRF token of this session: every form carries it, every POST must return it. */
  readonly csrf: string;
}

export type SessionLookup = { readonly kind: "signed_in"; readonly visitor: SignedIn } | { readonly kind: "signed_out"; readonly why?: string };

/**
 * Sessions as the browser sees them: a random secret in the `whistlestop_session` cookie (signed,
 * HttpOnly, SameSite=Lax, Secure behind https), its hash in the store so every replica knows it
 * and an operator can revoke it. A store that cannot be read throws: the caller fails closed.
 */
export class DashboardSessions {
  constructor(
    private readonly store: DashboardSessionStore,
    private readonly signed: SignedValues,
    private readonly clock: Clock,
    readonly secure: boolean,
  ) {}

  /** A new session for `login`; returns it and the Set-Cookie header that hands it to the browser. */
  async create(login: string, apiClient?: string): Promise<{ session: DashboardSession; setCookie: string }> {
    const secret = randomBytes(32).toString("base64url");
    const now = this.clock.now();
    const session: DashboardSession = {
      id: `ds-${randomBytes(6).toString("hex")}`,
      tokenHash: hashOf(secret),
      login,
      ...(apiClient ? { apiClient } : {}),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    };
    await this.store.createDashboardSession(session);
    const setCookie = cookieHeader(SESSION_COOKIE, this.signed.sign("session", secret), { secure: this.secure, maxAge: SESSION_TTL_MS / 1000 });
    return { session, setCookie };
  }

  async lookup(req: IncomingMessage): Promise<SessionLookup> {
    const secret = this.signed.verify("session", readCookies(req.headers.cookie).get(SESSION_COOKIE));
    if (!secret || !SECRET.test(secret)) return { kind: "signed_out" };
    const session = await this.store.findDashboardSession(hashOf(secret));
    if (!session) return { kind: "signed_out", why: "Your session has ended. Sign in again." };
    if (session.revokedAt) return { kind: "signed_out", why: "Your session was revoked. Sign in again." };
    if (session.expiresAt <= this.clock.now().toISOString()) return { kind: "signed_out", why: "Your session expired. Sign in again." };
    return { kind: "signed_in", visitor: { session, csrf: this.signed.derive("csrf", secret) } };
  }

  /** Signs the visitor out everywhere this session is used, and clears the cookie. */
  async end(visitor: SignedIn): Promise<string> {
    await this.store.revokeDashboardSessions({ id: visitor.session.id }, this.clock.now());
    return this.clearCookie();
  }

  clearCookie(): string {
    return cookieHeader(SESSION_COOKIE, "", { secure: this.secure, maxAge: 0 });
  }
}

/**
 * Who a dashboard visitor acts as: the GitHub login GitHub confirmed, with every check a Slack
 * command of that person gets (like a personal API token); the sandbox's visitor acts as its API
 * client. Either way the surface is the dashboard, so the audit log and the deploy say where it came from.
 */
export function actorOfSession(session: DashboardSession): Actor {
  if (session.apiClient) return { surface: "dashboard", name: `api:${session.apiClient}`, apiClient: session.apiClient };
  return { surface: "dashboard", name: session.login, login: session.login };
}
