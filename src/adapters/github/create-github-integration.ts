import type { IncomingMessage } from "node:http";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import type { Logger as PinoLogger } from "pino";
import type { SurfaceFactory } from "../../app/compose.js";
import type { EditorTimers } from "./coalescing-editor.js";
import { OctokitGitHubApi } from "./github-api.js";
import type { GitHubHandlerDeps } from "./github-handler-deps.js";
import { GitHubIdentity } from "./github-identity.js";
import { GitHubNotifier } from "./github-notifier.js";
import type { GitHubSettings } from "./github-settings.js";
import { GitHubSourceControl } from "./github-source-control.js";
import { InstallationClients } from "./installation-clients.js";
import { GITHUB_WEBHOOKS_PATH, githubWebhookHandler } from "./webhook-mount.js";
import { whistlestopProbotApp } from "./whistlestop-probot-app.js";

export interface GitHubIntegrationOptions {
  /** The app's pino logger; Probot and Octokit log through it (redaction included). */
  readonly logger: PinoLogger;
  /**
   * Octokit's throttling (GitHub's advice: writes one at a time, a second apart). On by default;
   * tests turn it off to run fast. Rate-limit and secondary-limit answers are always retried.
   */
  readonly throttle?: boolean;
  /** Base of Octokit's retry backoff for 5xx answers (retries after 1×, 4×, 9× this); default 1000 ms. */
  readonly retryBaseMs?: number;
  /** Least time between two edits of one PR comment; default 1000 ms. */
  readonly commentEditIntervalMs?: number;
  /** How long permission and team answers are cached; default 60 s. */
  readonly identityTtlMs?: number;
  readonly now?: () => number;
  readonly timers?: EditorTimers;
}

/** GitHub for every surface: refs and identities for the core, plus the GitHub surface itself. */
export interface GitHubIntegration {
  readonly sourceControl: GitHubSourceControl;
  readonly identity: GitHubIdentity;
  readonly surface: SurfaceFactory;
  readonly baseUrl: string;
  readonly probot: Probot;
}

type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;

const realTimers: EditorTimers = { now: () => Date.now(), setTimeout: (callback, ms) => setTimeout(callback, ms) };

/** Builds the Probot instance, installation clients, SourceControl, Identity and the surface factory. */
export async function createGitHubIntegration(settings: GitHubSettings, options: GitHubIntegrationOptions): Promise<GitHubIntegration> {
  const now = options.now ?? Date.now;
  // A function, not an object: Probot passes its own (empty) throttle options, which would replace ours.
  const Octokit = ProbotOctokit.defaults((instance: OctokitOptions) => ({
    ...instance,
    ...(options.throttle === false ? { throttle: { ...instance.throttle, enabled: false } } : {}),
    ...(options.retryBaseMs !== undefined ? { retry: { ...instance.retry, retryAfterBaseValue: options.retryBaseMs } } : {}),
  })) as typeof ProbotOctokit;
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    baseUrl: settings.baseUrl,
    webhookPath: GITHUB_WEBHOOKS_PATH,
    log: options.logger.child({ component: "github" }),
    Octokit,
  });
  await probot.ready();
  const clients = new InstallationClients((id) => probot.auth(id), options.logger, now);
  const sourceControl = new GitHubSourceControl(clients, { now });
  const identity = new GitHubIdentity(clients, { now, ...(options.identityTtlMs !== undefined ? { ttlMs: options.identityTtlMs } : {}) });

  const surface: SurfaceFactory = async (context) => {
    const api = new OctokitGitHubApi(clients);
    const handlers: GitHubHandlerDeps = {
      config: context.config,
      runner: context.runner,
      store: context.store,
      clock: context.clock,
      logger: context.logger,
      api,
      rememberCommit: (repo, sha) => sourceControl.rememberCommit(repo, sha),
      vouchWriteAccess: (repo, login) => identity.vouchWriteAccess(repo, login),
      apiBaseUrl: settings.baseUrl,
    };
    const app = whistlestopProbotApp({
      handlers,
      inbox: context.inbox,
      logger: context.logger,
      rememberInstallation: (repo, id) => clients.remember(repo, id),
    });
    const middleware = await createNodeMiddleware(app, { probot, webhooksPath: GITHUB_WEBHOOKS_PATH });
    return {
      name: "github",
      mounts: [
        {
          match: (_req: IncomingMessage, url: URL) => url.pathname === GITHUB_WEBHOOKS_PATH,
          handler: githubWebhookHandler({ secret: settings.webhookSecret, middleware: async (req, res) => (await middleware(req, res)) === true, logger: context.logger }),
          name: GITHUB_WEBHOOKS_PATH,
        },
      ],
      notifier: new GitHubNotifier({
        api,
        config: context.config,
        store: context.store,
        pipeline: context.pipeline,
        logger: context.logger,
        timers: options.timers ?? realTimers,
        ...(options.commentEditIntervalMs !== undefined ? { commentEditIntervalMs: options.commentEditIntervalMs } : {}),
      }),
    };
  };
  return { sourceControl, identity, surface, baseUrl: settings.baseUrl, probot };
}
