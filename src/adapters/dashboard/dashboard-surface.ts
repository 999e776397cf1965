import { createHmac, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { toDeployView } from "../../core/commands/deploy-view.js";
import type { Surface, SurfaceContext, SurfaceFactory } from "../../ports/surface.js";
import { DashboardAssets } from "./assets.js";
import { DashboardHandler } from "./dashboard-handler.js";
import { DashboardSessions } from "./dashboard-sessions.js";
import { FlashCookies } from "./flash.js";
import type { DashboardPage } from "./page.js";
import { PAGES } from "./pages/index.js";
import { SignIn, type SignInMode } from "./sign-in.js";
import { SignedValues } from "./signed-values.js";

export interface DashboardOptions {
  readonly signIn: SignInMode;
  /** PUBLIC_URL: cookies are Secure when it is https. */
  readonly publicUrl?: string;
  /**
   * Signs cookies and confirmations; every replica must have the same. Default: derived from the
   * OAuth client secret (which every replica has), else random (one sandbox process).
   */
  readonly signingKey?: Buffer;
  /** https://github.com or the GitHub Enterprise host, for commit and PR links. */
  readonly githubUrl?: string;
  /** Default: every page in pages/index.ts. */
  readonly pages?: readonly DashboardPage[];
  readonly stream?: { readonly heartbeatMs?: number; readonly tickMs?: number };
}

/** The paths the dashboard answers; anything else is left to the API and the other surfaces. */
const OWN_PREFIXES = ["/deploys", "/locks", "/windows", "/audit", "/dora", "/events", "/assets/", "/actions/", "/auth/sign-in", "/auth/sign-out"];

export function signingKeyFor(signIn: SignInMode, fallback: () => Buffer): Buffer {
  return signIn.kind === "github" ? createHmac("sha256", signIn.clientSecret).update("whistlestop dashboard").digest() : fallback();
}

/**
 * The web dashboard as a surface: server-rendered pages over the same read models and the same
 * CommandRunner as every surface, signed in with GitHub (or as the sandbox's visitor).
 */
export function dashboardSurface(options: DashboardOptions): SurfaceFactory {
  return (context: SurfaceContext): Surface => {
    const key = options.signingKey ?? signingKeyFor(options.signIn, () => randomBytes(32));
    const signed = new SignedValues(key);
    const secure = (options.publicUrl ?? (options.signIn.kind === "github" ? options.signIn.publicUrl : "")).startsWith("https://");
    const sessions = new DashboardSessions(context.store, signed, context.clock, secure);
    const logger = context.logger.child({ surface: "dashboard" });
    const handler = new DashboardHandler({
      deps: {
        config: context.config,
        store: context.store,
        runner: context.runner,
        clock: context.clock,
        pipeline: context.pipeline,
        githubUrl: options.githubUrl ?? (options.signIn.kind === "github" ? options.signIn.webUrl : "https://github.com"),
      },
      pages: options.pages ?? PAGES,
      sessions,
      signed,
      flash: new FlashCookies(signed, secure),
      signIn: new SignIn({ mode: options.signIn, sessions, signed, store: context.store, clock: context.clock, logger }),
      assets: new DashboardAssets(),
      identity: context.identity,
      events: context.events,
      onDrain: context.onDrain,
      toView: (deploy) => toDeployView(deploy, deploy.executionId ? { executionUrl: context.pipeline.executionUrl(deploy.pipelineName, deploy.executionId) } : {}),
      logger,
      stream: options.stream,
    });
    const matches = (req: IncomingMessage, url: URL) =>
      url.pathname === "/" || OWN_PREFIXES.some((p) => url.pathname === p.replace(/\/$/, "") || url.pathname.startsWith(p.endsWith("/") ? p : `${p}/`)) || handler.ownsCallback(req, url);
    return {
      name: "dashboard",
      mounts: [{ match: matches, handler: (req: IncomingMessage, res: ServerResponse) => handler.handle(req, res), name: "dashboard" }],
    };
  };
}
