import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import type { Store } from "../../core/ports/store.js";
import { callbackUrl, loginFromCode } from "../identity/github-oauth-routes.js";
import { backPath } from "./actions.js";
import type { DashboardSessions } from "./dashboard-sessions.js";
import { html, type SafeHtml } from "./html.js";
import { cookieHeader, equal, readCookies, type SignedValues } from "./signed-values.js";

/** The GitHub App's OAuth client (GITHUB_CLIENT_ID and _SECRET, PUBLIC_URL), as the Slack link uses it. */
export interface GitHubSignIn {
  readonly kind: "github";
  readonly clientId: string;
  readonly clientSecret: string;
  readonly publicUrl: string;
  readonly webUrl: string;
  readonly apiUrl: string;
}

/** How visitors sign in: with GitHub, as the sandbox's own visitor (`whistlestop sandbox` only), or not at all. */
export type SignInMode = GitHubSignIn | { readonly kind: "sandbox"; readonly apiClient?: string } | { readonly kind: "off" };

export const SIGN_IN_PATH = "/auth/sign-in";
export const SIGN_OUT_PATH = "/auth/sign-out";
export const CALLBACK_PATH = "/auth/github/callback";
const SIGN_IN_COOKIE = "whistlestop_signin";
const STATE = /^[A-Za-z0-9_-]{43}$/;
const CODE = /^[A-Za-z0-9_-]{1,200}$/;

type Page = (status: number, title: string, paragraphs: readonly SafeHtml[], headers?: Record<string, string | string[]>) => void;

export interface SignInDeps {
  readonly mode: SignInMode;
  readonly sessions: DashboardSessions;
  readonly signed: SignedValues;
  readonly store: Pick<Store, "appendAudit">;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * GitHub's OAuth web flow for the dashboard. The state is bound to the browser by a short-lived
 * signed cookie; the callback is the GitHub App's one callback, shared with the Slack link, so
 * a callback without this browser's sign-in cookie is left to the link handler.
 */
export class SignIn {
  constructor(private readonly deps: SignInDeps) {}

  /** `/auth/sign-in`: a page with the one button, or, with ?go, straight to GitHub. */
  async start(url: URL, res: ServerResponse, page: Page): Promise<void> {
    const { mode } = this.deps;
    const next = backPath(url.searchParams.get("next"));
    if (mode.kind !== "github") {
      return page(503, "Sign-in is not set up", [
        html`This Whistlestop has no GitHub OAuth client, so nobody can sign in to the dashboard. Set GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET and PUBLIC_URL on the server (see docs/dashboard.md).`,
      ]);
    }
    if (!url.searchParams.has("go")) {
      const why = url.searchParams.get("why");
      return page(200, "Sign in", [
        ...(why ? [html`<span role="alert">${why.slice(0, 200)}</span>`] : []),
        html`Whistlestop's dashboard shows what is live where, what is running, the locks and the windows. Members of the organisations that own the configured repositories may view it.`,
        html`<a class="button-link primary" href="${SIGN_IN_PATH}?go=1&amp;next=${encodeURIComponent(next)}">Sign in with GitHub</a>`,
      ]);
    }
    const state = randomBytes(32).toString("base64url");
    const authorize = new URL(`${mode.webUrl}/login/oauth/authorize`);
    authorize.search = new URLSearchParams({ client_id: mode.clientId, redirect_uri: callbackUrl(mode), state, allow_signup: "false" }).toString();
    const cookie = cookieHeader(SIGN_IN_COOKIE, this.deps.signed.sign("sign-in", `${state}|${next}`), { secure: this.deps.sessions.secure, maxAge: 600 });
    res.writeHead(302, { Location: authorize.toString(), "Set-Cookie": cookie, "Cache-Control": "no-store", "Content-Length": 0 });
    res.end();
  }

  /** Whether this callback belongs to a dashboard sign-in started in this browser. */
  owns(req: IncomingMessage, url: URL): boolean {
    return this.deps.mode.kind === "github" && readCookies(req.headers.cookie).has(SIGN_IN_COOKIE) && url.searchParams.has("state");
  }

  async callback(req: IncomingMessage, url: URL, res: ServerResponse, page: Page): Promise<void> {
    const { mode, signed, sessions } = this.deps;
    if (mode.kind !== "github") return page(404, "Not found", [html`There is nothing here.`]);
    const clear = cookieHeader(SIGN_IN_COOKIE, "", { secure: sessions.secure, maxAge: 0 });
    const again = html`<a href="${SIGN_IN_PATH}">Sign in again</a>.`;
    const [state = "", next = "/"] = (signed.verify("sign-in", readCookies(req.headers.cookie).get(SIGN_IN_COOKIE)) ?? "").split("|");
    const error = url.searchParams.get("error");
    if (error !== null) return page(400, "GitHub did not sign you in", [html`GitHub answered: ${(url.searchParams.get("error_description") ?? error).slice(0, 200)}. ${again}`], { "Set-Cookie": clear });
    const given = url.searchParams.get("state") ?? "";
    const code = url.searchParams.get("code") ?? "";
    if (!STATE.test(state) || !equal(given, state) || !CODE.test(code)) {
      return page(400, "Sign-in did not match", [html`This answer from GitHub does not belong to the sign-in this browser started (or it was used already). ${again}`], { "Set-Cookie": clear });
    }
    let login: string;
    try {
      login = await loginFromCode(mode, code);
    } catch (failure) {
      this.deps.logger.warn({ reason: (failure as Error).message }, "dashboard sign-in with GitHub failed");
      return page(502, "GitHub did not answer as expected", [html`${(failure as Error).message}. ${again}`], { "Set-Cookie": clear });
    }
    const { setCookie } = await sessions.create(login);
    await this.audit(login, "signed in to the dashboard with GitHub");
    res.writeHead(303, { Location: backPath(next), "Set-Cookie": [clear, setCookie], "Cache-Control": "no-store", "Content-Length": 0 });
    res.end();
  }

  /** The sandbox lets its visitor in at once, as its own API client where the configuration declares one. */
  async signInSandboxVisitor(res: ServerResponse, location: string): Promise<boolean> {
    const { mode, sessions } = this.deps;
    if (mode.kind !== "sandbox") return false;
    const { setCookie } = await sessions.create("sandbox", mode.apiClient);
    res.writeHead(303, { Location: location, "Set-Cookie": setCookie, "Cache-Control": "no-store", "Content-Length": 0 });
    res.end();
    return true;
  }

  async audit(login: string, message: string): Promise<void> {
    await this.deps.store
      .appendAudit({ at: this.deps.clock.now().toISOString(), actor: login, actorKey: `login:${login.toLowerCase()}`, surface: "dashboard", action: "dashboard_session", outcome: "done", message })
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, "could not audit a dashboard sign-in"));
  }
}
