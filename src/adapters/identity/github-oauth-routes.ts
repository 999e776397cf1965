import type { IncomingMessage, ServerResponse } from "node:http";
import type { PeopleDirectory } from "../../core/identity/people-directory.js";
import type { Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import type { OAuthState, SlackLink } from "../../core/ports/identity-store.js";
import type { Store } from "../../core/ports/store.js";
import { escapeHtml, sendPage } from "./oauth-page.js";
import { hashSecret } from "./personal-tokens.js";

export const AUTH_PATH = "/auth/github";
/** Far above GitHub's callback (code + state ≈ 100 characters), far below the 16 KiB header limit. */
export const MAX_QUERY_LENGTH = 2048;
const STATE = /^[A-Za-z0-9_-]{43}$/;
const CODE = /^[A-Za-z0-9_-]{1,200}$/;
const AGAIN = "Nothing was linked. Type <code>/deploy link</code> in Slack for a new link.";

export interface OAuthLinkDeps {
  readonly clientId: string;
  readonly clientSecret: string;
  /** PUBLIC_URL without a trailing slash: the callback is `{publicUrl}/auth/github/callback`. */
  readonly publicUrl: string;
  /** https://github.com or the GitHub Enterprise host: /login/oauth/authorize and /access_token. */
  readonly webUrl: string;
  /** https://api.github.com or GHE's /api/v3: GET /user. */
  readonly apiUrl: string;
  readonly store: Pick<Store, "findOAuthState" | "takeOAuthState" | "putSlackLink" | "appendAudit">;
  readonly directory: PeopleDirectory;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Tells the person in Slack that the link is made; failures are logged, the link stands. */
  readonly onLinked?: (link: SlackLink) => Promise<void>;
}

/**
 * GitHub's OAuth web flow for `/deploy link`: `/auth/github/start?state=…` shows who is being
 * linked and sends the person to GitHub; `/auth/github/callback` takes the one-time state (bound
 * to the Slack user who asked), trades the code for a token, reads `GET /user` and stores the
 * link. Bad input gets a 4xx page and changes nothing. Codes, states and tokens are never logged.
 */
export function githubOAuthHandler(deps: OAuthLinkDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const raw = req.url ?? "/";
    const url = new URL(raw, "http://localhost");
    if (url.pathname !== AUTH_PATH && !url.pathname.startsWith(`${AUTH_PATH}/`)) return false;
    if (url.search.length > MAX_QUERY_LENGTH) sendPage(res, 414, "Link too long", [`That address is longer than any link Whistlestop makes. ${AGAIN}`]);
    else if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET");
      sendPage(res, 405, "Method not allowed", ["Open the link from Slack in a browser."]);
    } else if (url.pathname === `${AUTH_PATH}/start`) await start(deps, url.searchParams, res);
    else if (url.pathname === `${AUTH_PATH}/callback`) await callback(deps, url.searchParams, res);
    else sendPage(res, 404, "Not found", [`There is nothing here. ${AGAIN}`]);
    return true;
  };
}

export const callbackUrl = (deps: Pick<OAuthLinkDeps, "publicUrl">): string => `${deps.publicUrl}${AUTH_PATH}/callback`;

async function start(deps: OAuthLinkDeps, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const state = query.get("state") ?? "";
  if (!STATE.test(state)) return sendPage(res, 400, "Link incomplete", [`This link has no valid state: copy the whole address from Slack. ${AGAIN}`]);
  const found = await deps.store.findOAuthState(hashSecret(state), deps.clock.now());
  if (!found) return sendPage(res, 400, "Link expired", [`This link was already used or is more than 10 minutes old. ${AGAIN}`]);
  const authorize = new URL(`${deps.webUrl}/login/oauth/authorize`);
  authorize.search = new URLSearchParams({ client_id: deps.clientId, redirect_uri: callbackUrl(deps), state, allow_signup: "false" }).toString();
  sendPage(res, 200, "Link Slack to GitHub", [
    `This links the Slack user <strong>${escapeHtml(found.userId)}</strong>${found.teamId ? ` (workspace ${escapeHtml(found.teamId)})` : ""} to the GitHub account you sign in with next: that Slack user will deploy with your GitHub rights.`,
    `<strong>If you did not type <code>/deploy link</code> in Slack yourself just now, close this page.</strong>`,
    `<a href="${escapeHtml(authorize.toString())}">Continue to GitHub</a>`,
  ]);
}

async function callback(deps: OAuthLinkDeps, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const error = query.get("error");
  if (error !== null) {
    const said = (query.get("error_description") ?? error).slice(0, 200);
    return sendPage(res, 400, "GitHub did not link your account", [`GitHub answered: ${escapeHtml(said)}. ${AGAIN}`]);
  }
  const state = query.get("state") ?? "";
  const code = query.get("code") ?? "";
  if (!STATE.test(state) || !CODE.test(code)) return sendPage(res, 400, "Link incomplete", [`GitHub's answer is missing its code or state. ${AGAIN}`]);
  const taken = await deps.store.takeOAuthState(hashSecret(state), deps.clock.now());
  if (!taken) return sendPage(res, 400, "Link expired", [`This link was already used or is more than 10 minutes old. ${AGAIN}`]);
  let login: string;
  try {
    login = await loginFromCode(deps, code);
  } catch (failure) {
    deps.logger.warn({ reason: (failure as Error).message, user: taken.userId }, "GitHub OAuth link failed");
    return sendPage(res, 502, "GitHub did not answer as expected", [`${escapeHtml((failure as Error).message)}. ${AGAIN}`]);
  }
  await finishLink(deps, taken, login, res);
}

async function finishLink(deps: OAuthLinkDeps, taken: OAuthState, login: string, res: ServerResponse): Promise<void> {
  const at = deps.clock.now().toISOString();
  const who = `Slack user ${taken.userId}${taken.teamId ? ` in ${taken.teamId}` : ""}`;
  const holder = deps.directory.peopleHolderOf(login);
  if (holder !== undefined && holder !== taken.userId) {
    await deps.store.appendAudit({ at, actor: login, surface: "slack", action: "link", outcome: "refused", message: `${who}: people maps ${login} to ${holder}` });
    return sendPage(res, 409, "Already mapped", [`whistlestop.yml maps the GitHub login ${escapeHtml(login)} to another Slack user under <code>people:</code>, so it was not linked. Ask an admin.`]);
  }
  const link: SlackLink = { teamId: taken.teamId, userId: taken.userId, login, linkedAt: at };
  await deps.store.putSlackLink(link);
  await deps.store.appendAudit({ at, actor: login, surface: "slack", action: "link", outcome: "done", message: `${who} linked to GitHub login ${login}` });
  await deps.onLinked?.(link).catch((error: unknown) => deps.logger.warn({ err: error, user: taken.userId }, "could not tell the person in Slack that the link is made"));
  const mapped = deps.directory.fromPeople(taken.userId);
  const note = mapped ? [`Note: whistlestop.yml maps you to ${escapeHtml(mapped)} under <code>people:</code>, which wins over this link.`] : [];
  sendPage(res, 200, "Linked", [`${escapeHtml(who)} now acts as <strong>${escapeHtml(login)}</strong> in Whistlestop. You can close this page.`, ...note]);
}

/** Code → user token → login (linking and dashboard sign-in). Throws with a message fit for the page (no secret in it). */
export async function loginFromCode(deps: Pick<OAuthLinkDeps, "clientId" | "clientSecret" | "publicUrl" | "webUrl" | "apiUrl">, code: string): Promise<string> {
  const exchange = await fetch(`${deps.webUrl}/login/oauth/access_token`, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify({ client_id: deps.clientId, client_secret: deps.clientSecret, code, redirect_uri: callbackUrl(deps) }),
    signal: AbortSignal.timeout(10_000),
  });
  const granted = (await exchange.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown };
  if (!exchange.ok || typeof granted.access_token !== "string") {
    throw new Error(`GitHub refused the sign-in code (${typeof granted.error === "string" ? granted.error.slice(0, 100) : `HTTP ${exchange.status}`})`);
  }
  const user = await fetch(`${deps.apiUrl}/user`, {
    headers: { Accept: "application/vnd.github+json", Authorization: `Bearer ${granted.access_token}` },
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await user.json().catch(() => ({}))) as { login?: unknown };
  if (!user.ok || typeof body.login !== "string" || !/^[A-Za-z0-9-]{1,39}$/.test(body.login)) throw new Error(`GitHub did not say who you are (GET /user: HTTP ${user.status})`);
  return body.login;
}
