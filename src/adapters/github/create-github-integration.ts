import type { IncomingMessage } from "node:http";
import { Probot, ProbotOctokit } from "probot";
import type { Logger as PinoLogger } from "pino";
import { SequenceNotifier } from "../../core/ports/notifier.js";
import type { SurfaceFactory } from "../../ports/surface.js";
import { realTimers } from "../../ports/timers.js";
import type { EditorTimers } from "../shared/coalescing-editor.js";
import { OctokitGitHubApi } from "./github-api.js";
import type { GitHubHandlerDeps } from "./github-handler-deps.js";
import { GitHubIdentity } from "./github-identity.js";
import { GitHubNotifier } from "./github-notifier.js";
import type { GitHubSettings } from "./github-settings.js";
import { GitHubSourceControl } from "./github-source-control.js";
import { InstallationClients } from "./installation-clients.js";
import { PrShipNotifier } from "./pr-ship-notifier.js";
import { GITHUB_WEBHOOKS_PATH, githubWebhookHandler } from "./webhook-mount.js";
import { whistlestopWebhooks } from "./whistlestop-webhooks.js";

export interface GitHubIntegrationOptions {
  /** The app's pino logger; Probot and Octokit log through it (redaction included). */
  readonly logger: PinoLogger;
  /**
   * Octokit's throttling (GitHub's advice: writes one at a time, a second apart), which also waits
   * out rate-limit and secondary-limit answers and retries. On by default; off for GitHub
   * Enterprise Server with rate limits turned off, and in tests that need no pacing.
   */
  readonly throttle?: boolean;
  /**
   * Base of Octokit's retry backoff for 5xx answers (retries after 1×, 4×, 9× this), and what one
   * second of a rate limit's Retry-After lasts; default 1000 ms. Tests shrink it.
   */
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

/** Rate limits are waited out and retried a few times; Probot's own handler gives up on secondary ones. */
function rateLimitHandlers(log: Pick<PinoLogger, "warn">) {
  const handler =
    (kind: string, attempts: number) =>
    (retryAfter: number, request: { method?: string; url?: string }, _octokit: unknown, retryCount: number): boolean => {
      const retry = retryCount < attempts;
      log.warn({ method: request.method, url: request.url, retryAfterSeconds: retryAfter, retryCount }, retry ? `GitHub ${kind}; waiting, then trying again` : `GitHub ${kind} again; giving up on this request`);
      return retry;
    };
  return { onRateLimit: handler("rate limit hit", 2), onSecondaryRateLimit: handler("secondary rate limit hit", 3) };
}

/** ProbotOctokit with Whistlestop's throttling and retry settings. */
export function whistlestopOctokit(options: Pick<GitHubIntegrationOptions, "throttle" | "retryBaseMs">, log: Pick<PinoLogger, "warn">): typeof ProbotOctokit {
  // A function, not an object: Probot passes its own throttle options, which would replace ours.
  return ProbotOctokit.defaults((instance: OctokitOptions) => ({
    ...instance,
    throttle: {
      ...instance.throttle,
      ...rateLimitHandlers(log),
      ...(options.throttle === false ? { enabled: false } : {}),
      ...(options.retryBaseMs !== undefined ? { retryAfterBaseValue: options.retryBaseMs } : {}),
    },
    ...(options.retryBaseMs !== undefined ? { retry: { ...instance.retry, retryAfterBaseValue: options.retryBaseMs } } : {}),
  })) as typeof ProbotOctokit;
}

/** Builds the Probot instance, installation clients, SourceControl, Identity and the surface factory. */
export async function createGitHubIntegration(settings: GitHubSettings, options: GitHubIntegrationOptions): Promise<GitHubIntegration> {
  const now = options.now ?? Date.now;
  const log = options.logger.child({ component: "github" });
  const Octokit = whistlestopOctokit(options, log);
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    baseUrl: settings.baseUrl,
    webhookPath: GITHUB_WEBHOOKS_PATH,
    log,
    Octokit,
  });
  await probot.ready();
  const clients = new InstallationClients((id) => probot.auth(id), options.logger, now);
  const sourceControl = new GitHubSourceControl(clients, { now });
  const identity = new GitHubIdentity(clients, { now, ...(options.identityTtlMs !== undefined ? { ttlMs: options.identityTtlMs } : {}) });

  const surface: SurfaceFactory = async (context) => {
    const api = new OctokitGitHubApi(clients);
    const pacing = { timers: options.timers ?? realTimers, ...(options.commentEditIntervalMs !== undefined ? { commentEditIntervalMs: options.commentEditIntervalMs } : {}) };
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
    const receive = whistlestopWebhooks({
      secret: settings.webhookSecret,
      handlers,
      inbox: context.inbox,
      logger: context.logger,
      rememberInstallation: (repo, id) => clients.remember(repo, id),
    });
    return {
      name: "github",
      mounts: [
        {
          match: (_req: IncomingMessage, url: URL) => url.pathname === GITHUB_WEBHOOKS_PATH,
          handler: githubWebhookHandler({ secret: settings.webhookSecret, receive, logger: context.logger }),
          name: GITHUB_WEBHOOKS_PATH,
        },
      ],
      // The deploy's own reports first; `notify_prs` comments follow, a few at a time, behind them.
      notifier: new SequenceNotifier([
        new GitHubNotifier({ api, config: context.config, store: context.store, pipeline: context.pipeline, logger: context.logger, ...pacing }),
        new PrShipNotifier({ api, config: context.config, store: context.store, clock: context.clock, logger: context.logger, ...pacing }),
      ]),
    };
  };
  return { sourceControl, identity, surface, baseUrl: settings.baseUrl, probot };
}
