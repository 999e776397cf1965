import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { DeployView } from "../../core/commands/command-result.js";
import type { Deploy } from "../../core/model/deploy.js";
import type { Identity } from "../../core/ports/source-control.js";
import type { DeployEventFeed } from "../../ports/surface.js";
import { streamDeployEvents } from "../http/deploy-event-stream.js";
import { HttpError } from "../http/http-error.js";
import { readBody } from "../http/read-body.js";
import { Router } from "../http/router.js";
import { ACTION_VERBS, backPath, redirectAfterPost, runAction, type ActionVerb } from "./actions.js";
import type { DashboardAssets } from "./assets.js";
import { actorOfSession, type DashboardSessions } from "./dashboard-sessions.js";
import type { FlashCookies } from "./flash.js";
import { html, type SafeHtml } from "./html.js";
import { layout, messagePage } from "./layout.js";
import { streamBoardEvents } from "./live-stream.js";
import type { DashboardDeps, DashboardPage, Viewer } from "./page.js";
import { CALLBACK_PATH, SIGN_IN_PATH, SIGN_OUT_PATH, type SignIn } from "./sign-in.js";
import { equal, type SignedValues } from "./signed-values.js";
import { checkViewer } from "./viewer-check.js";

export interface DashboardHandlerDeps {
  readonly deps: DashboardDeps;
  readonly pages: readonly DashboardPage[];
  readonly sessions: DashboardSessions;
  readonly signed: SignedValues;
  readonly flash: FlashCookies;
  readonly signIn: SignIn;
  readonly assets: DashboardAssets;
  readonly identity?: Identity;
  readonly events?: DeployEventFeed;
  readonly onDrain?: (listener: () => void) => () => void;
  readonly toView: (deploy: Deploy) => DeployView;
  readonly logger: Logger;
  readonly stream?: { readonly heartbeatMs?: number; readonly tickMs?: number };
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, params: Readonly<Record<string, string>>, viewer: Viewer) => Promise<void>;

const FORM_LIMIT_BYTES = 16 * 1024;
const SECURITY_HEADERS = {
  "Cache-Control": "no-store",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; style-src-attr 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/** Every dashboard request: assets and sign-in first, then a session and a viewer check, then the page or action. */
export class DashboardHandler {
  private readonly router = new Router();

  constructor(private readonly d: DashboardHandlerDeps) {
    for (const page of d.pages) this.router.add("GET", page.path, (c) => this.guarded(c.req, c.res, c.url, c.params, (req, res, url, params, viewer) => this.page(page, req, res, url, params, viewer)));
    this.router.add("POST", "/actions/:verb", (c) => this.guarded(c.req, c.res, c.url, c.params, (req, res, url, params, viewer) => this.action(req, res, url, params, viewer)));
    this.router.add("GET", "/events", (c) => this.guarded(c.req, c.res, c.url, c.params, async (_req, res) => streamBoardEvents(res, { feed: d.events, onDrain: d.onDrain, ...d.stream })));
    this.router.add("GET", "/deploys/:id/events", (c) => this.guarded(c.req, c.res, c.url, c.params, (req, res, url, params) => this.deployStream(res, params)));
  }

  ownsCallback(req: IncomingMessage, url: URL): boolean {
    return url.pathname === CALLBACK_PATH && this.d.signIn.owns(req, url);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://whistlestop.invalid");
    const method = req.method ?? "GET";
    const page = (status: number, title: string, paragraphs: readonly SafeHtml[], headers: Record<string, string | string[]> = {}) => this.sendMessage(res, status, title, paragraphs, headers);
    try {
      if (this.d.assets.has(url.pathname) && (method === "GET" || method === "HEAD")) {
        this.d.assets.send(url.pathname, req.headers["if-none-match"], res, method === "HEAD");
        return true;
      }
      if (url.pathname === CALLBACK_PATH) return this.ownsCallback(req, url) ? (await this.d.signIn.callback(req, url, res, page), true) : false;
      if (url.pathname === SIGN_IN_PATH && method === "GET") return (await this.d.signIn.start(url, res, page), true);
      if (url.pathname === SIGN_OUT_PATH && method === "POST") return (await this.signOut(req, res, page), true);
      const match = this.router.match(method, url.pathname);
      if (match.kind === "not_found") return false;
      if (match.kind === "method_not_allowed") {
        page(405, "Method not allowed", [html`${method} is not allowed here.`], { Allow: match.allowed.join(", ") });
        return true;
      }
      await match.handler({ req, res, url, params: match.params });
    } catch (error) {
      if (error instanceof HttpError) page(error.status, "Request refused", [html`${error.message}`], error.headers ?? {});
      else {
        this.d.logger.error({ err: error, path: url.pathname }, "dashboard request failed");
        if (res.headersSent) res.destroy();
        else page(500, "Something went wrong", [html`Whistlestop could not show this page. Try again; if it keeps happening, tell the SRE on call.`]);
      }
    }
    return true;
  }

  /** Signed in and allowed to view, or answered: 302 to sign-in (GET), 403 (anything else), 503 (store or GitHub down). */
  private async guarded(req: IncomingMessage, res: ServerResponse, url: URL, params: Readonly<Record<string, string>>, run: Handler): Promise<void> {
    const page = (status: number, title: string, paragraphs: readonly SafeHtml[]) => this.sendMessage(res, status, title, paragraphs);
    let lookup;
    try {
      lookup = await this.d.sessions.lookup(req);
    } catch (error) {
      this.d.logger.error({ err: error }, "could not read a dashboard session; refusing (fail closed)");
      return page(503, "Whistlestop cannot read its store", [html`The dashboard cannot check who you are right now, so it shows nothing. Try again in a minute.`]);
    }
    const isGet = req.method === "GET" || req.method === "HEAD";
    if (lookup.kind === "signed_out") {
      if (!isGet) return page(403, "Sign in first", [html`You are not signed in, so nothing was done. <a href="${SIGN_IN_PATH}">Sign in</a> and try again.`]);
      const next = `${url.pathname}${url.search}`;
      if (url.pathname !== "/events" && !url.pathname.endsWith("/events") && (await this.d.signIn.signInSandboxVisitor(res, next))) return;
      const query = new URLSearchParams({ next, ...(lookup.why ? { why: lookup.why } : {}) });
      res.writeHead(302, { Location: `${SIGN_IN_PATH}?${query.toString()}`, "Cache-Control": "no-store", "Content-Length": 0 });
      return void res.end();
    }
    const { session } = lookup.visitor;
    const verdict = await checkViewer(this.d.deps.config, this.d.identity, session);
    if (!verdict.ok) return page(verdict.status, verdict.status === 403 ? "Not allowed" : "Cannot check access", [html`${verdict.message}`]);
    await run(req, res, url, params, { ...lookup.visitor, actor: actorOfSession(session) });
  }

  private async page(page: DashboardPage, req: IncomingMessage, res: ServerResponse, url: URL, params: Readonly<Record<string, string>>, viewer: Viewer): Promise<void> {
    const result = await page.render({ deps: this.d.deps, viewer, url, params });
    const { flash, clear } = this.d.flash.take(req);
    const body = layout({
      title: result.title,
      body: result.body,
      path: url.pathname,
      nav: this.d.pages.filter((p) => p.nav).map((p) => ({ path: p.path, label: p.nav!.label })),
      viewer,
      ...(flash ? { flash } : {}),
      stream: result.stream ?? "/events",
      timezone: this.d.deps.config.timezone,
      assetVersion: this.d.assets.version,
    });
    this.sendHtml(res, result.status ?? 200, body, clear ? { "Set-Cookie": clear } : {});
  }

  /** A posted form: its CSRF token must be this session's, or nothing runs (403). */
  private async action(req: IncomingMessage, res: ServerResponse, _url: URL, params: Readonly<Record<string, string>>, viewer: Viewer): Promise<void> {
    const form = await this.readForm(req);
    if (!equal(form.get("csrf") ?? "", viewer.csrf)) {
      return this.sendMessage(res, 403, "Form refused", [html`This form did not come from your dashboard session (its CSRF token is missing or wrong), so nothing was done. Reload the page and try again.`]);
    }
    const verb = params.verb as ActionVerb;
    if (!(ACTION_VERBS as readonly string[]).includes(verb)) return this.sendMessage(res, 404, "No such action", [html`The dashboard has no action "${verb}".`]);
    const flash = await runAction(verb, form, viewer, this.d.deps, this.d.signed);
    this.d.logger.info({ actor: viewer.actor.name, verb, outcome: flash.kind, reasonCode: flash.reasonCode }, "dashboard action");
    redirectAfterPost(res, backPath(form.get("back")), [this.d.flash.set(flash)]);
  }

  private async deployStream(res: ServerResponse, params: Readonly<Record<string, string>>): Promise<void> {
    const id = params.id ?? "";
    if (!/^[a-zA-Z0-9-]{1,128}$/.test(id) || !this.d.events) throw new HttpError(404, "No deploy has that id.");
    await streamDeployEvents(res, id, {
      runner: this.d.deps.runner,
      events: this.d.events,
      toView: this.d.toView,
      onDrain: this.d.onDrain ?? (() => () => {}),
      logger: this.d.logger,
    });
  }

  private async signOut(req: IncomingMessage, res: ServerResponse, page: (status: number, title: string, paragraphs: readonly SafeHtml[]) => void): Promise<void> {
    const lookup = await this.d.sessions.lookup(req);
    const form = await this.readForm(req);
    if (lookup.kind === "signed_in") {
      if (!equal(form.get("csrf") ?? "", lookup.visitor.csrf)) return page(403, "Form refused", [html`This sign-out did not come from your dashboard session; you are still signed in.`]);
      const clear = await this.d.sessions.end(lookup.visitor);
      await this.d.signIn.audit(lookup.visitor.session.login, "signed out of the dashboard");
      return this.sendMessage(res, 200, "Signed out", [html`You are signed out. <a href="${SIGN_IN_PATH}">Sign in again</a>.`], { "Set-Cookie": clear });
    }
    this.sendMessage(res, 200, "Signed out", [html`You are not signed in. <a href="${SIGN_IN_PATH}">Sign in</a>.`], { "Set-Cookie": this.d.sessions.clearCookie() });
  }

  private async readForm(req: IncomingMessage): Promise<URLSearchParams> {
    const type = String(req.headers["content-type"] ?? "");
    if (!type.startsWith("application/x-www-form-urlencoded")) throw new HttpError(415, "The dashboard's forms send application/x-www-form-urlencoded; nothing was done.");
    return new URLSearchParams((await readBody(req, FORM_LIMIT_BYTES)).toString("utf8"));
  }

  private sendMessage(res: ServerResponse, status: number, title: string, paragraphs: readonly SafeHtml[], headers: Record<string, string | string[]> = {}): void {
    this.sendHtml(res, status, messagePage(title, paragraphs, this.d.assets.version, this.d.deps.config.timezone), headers);
  }

  private sendHtml(res: ServerResponse, status: number, body: SafeHtml, headers: Record<string, string | string[]>): void {
    if (res.headersSent) return;
    const text = body.text;
    res.writeHead(status, { ...SECURITY_HEADERS, "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(text), ...headers });
    res.end(res.req?.method === "HEAD" ? undefined : text);
  }
}
