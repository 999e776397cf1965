import { randomBytes } from "node:crypto";
import { App } from "@slack/bolt";
import type { Surface, SurfaceContext, SurfaceFactory } from "../../ports/surface.js";
import { realTimers, type Timers } from "../../ports/timers.js";
import { SequenceNotifier } from "../../core/ports/notifier.js";
import { AUTH_PATH, githubOAuthHandler } from "../identity/github-oauth-routes.js";
import { AuthorMentionNotifier } from "./author-mention-notifier.js";
import { boltLogger } from "./bolt-logger.js";
import { ButtonClickHandler } from "./button-click-handler.js";
import { createSlackTransport } from "./create-slack-transport.js";
import { registerSlackListeners } from "./register-slack-listeners.js";
import type { SlackApi } from "./slack-api.js";
import { SLACK_EVENTS_PATH } from "./slack-mount-receiver.js";
import { SlackNotifier } from "./slack-notifier.js";
import { SlackReminderSender } from "./slack-reminder-sender.js";
import type { SlackSettings } from "./slack-settings.js";
import { SlashCommandHandler } from "./slash-command-handler.js";
import { WebClientSlackApi } from "./web-client-slack-api.js";
import { SlackDeployWarner } from "./watchdog-warner.js";
import { WorkQueue } from "./work-queue.js";
import { withPrototypeFreeClientPools } from "./bolt-client-pools.js";
import { workspaceGuard } from "./workspace-guard.js";

/** `/deploy link`: the GitHub App's OAuth client and where its pages are. */
export interface SlackLinking {
  readonly clientId: string;
  readonly clientSecret: string;
  /** PUBLIC_URL, without a trailing slash. */
  readonly publicUrl: string;
  /** GitHub's web URL (authorize, access_token) and API URL (GET /user). */
  readonly webUrl: string;
  readonly apiUrl: string;
}

export interface SlackSurfaceOptions {
  readonly settings: SlackSettings;
  /** Turns on `/deploy link` and the /auth/github routes; without it `link` says how to set it up. */
  readonly linking?: SlackLinking;
  /** The Slack Web API; default a WebClient on settings.apiUrl. */
  readonly api?: SlackApi;
  /** Card edit pacing; default real timers. */
  readonly timers?: Pick<Timers, "now" | "setTimeout" | "clearTimeout">;
  /** How the WebClient waits out a 429's Retry-After; default a real sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** At most one chat.update per card per this many ms; default 1000 (Slack's pace). */
  readonly cardUpdateIntervalMs?: number;
  /** The signature window's clock in ms; default the app's clock. */
  readonly now?: () => number;
  /** Commands and clicks worked on at once after their acks; default 2. */
  readonly workConcurrency?: number;
}

const newNonce = (): string => randomBytes(9).toString("base64url");

/**
 * The Slack surface (docs/slack.md): slash commands and buttons in, deploy cards out. Bolt routes
 * and acknowledges; everything it hands over is turned into plain requests for the core.
 */
export function slackSurface(options: SlackSurfaceOptions): SurfaceFactory {
  return (context: SurfaceContext): Surface => {
    const { settings } = options;
    const logger = context.logger.child({ surface: "slack" });
    const bolt = boltLogger(logger);
    const api = options.api ?? new WebClientSlackApi({ botToken: settings.botToken, ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}), ...(options.sleep ? { sleep: options.sleep } : {}), logger: bolt });
    const transport = createSlackTransport(settings, {
      now: options.now ?? (() => context.clock.now().getTime()),
      logger: bolt,
      onRejected: (reason) => logger.warn({ reason }, "rejected a Slack request with a bad or stale signature"),
      onError: (error) => logger.error({ err: error }, "a Slack request failed"),
    });
    const app = withPrototypeFreeClientPools(new App({
      token: settings.botToken,
      // Known (or placeholder) ids keep Bolt from calling auth.test; only its self-filter reads them.
      botId: settings.botId ?? "B_WHISTLESTOP",
      botUserId: settings.botUserId ?? "U_WHISTLESTOP",
      tokenVerificationEnabled: false,
      receiver: transport.receiver,
      logger: bolt,
      convoStore: false,
      ...(settings.apiUrl ? { clientOptions: { slackApiUrl: settings.apiUrl } } : {}),
    }));
    // Before any listener: a request from a workspace not served is never recorded or run.
    app.use(workspaceGuard(settings.teamIds ?? [], logger));
    const { runner, store, config, clock, pipeline, inbox, directory } = context;
    const work = new WorkQueue({ concurrency: options.workConcurrency ?? 2 });
    const { linking } = options;
    const identity = { directory, store, clock, ...(linking ? { linkStartUrl: `${linking.publicUrl}${AUTH_PATH}/start` } : {}) };
    const linkMounts = linking
      ? [
          {
            match: AUTH_PATH,
            name: `${AUTH_PATH}/*`,
            handler: githubOAuthHandler({
              ...linking,
              store,
              directory,
              clock,
              logger,
              onLinked: async (link) => void (await api.postMessage(link.userId, { text: `🔗 Linked: Whistlestop now knows you as GitHub user ${link.login}.` })),
            }),
          },
        ]
      : [];
    registerSlackListeners(app, {
      work,
      inbox,
      api,
      logger,
      commands: new SlashCommandHandler({ runner, directory, identity, api, logger, newNonce, clock }),
      clicks: new ButtonClickHandler({ runner, store, directory, api, clock, logger, newNonce, timezone: config.timezone }),
    });
    const notifier = new SlackNotifier({
      api,
      store,
      config,
      pipeline,
      clock,
      timers: options.timers ?? realTimers,
      logger,
      githubUrl: settings.githubUrl,
      ...(options.cardUpdateIntervalMs !== undefined ? { updateIntervalMs: options.cardUpdateIntervalMs } : {}),
    });
    logger.info({ mode: transport.kind === "socket" ? "socket mode" : `HTTP at ${SLACK_EVENTS_PATH}`, workspaces: settings.teamIds?.length ? settings.teamIds : "any" }, "Slack is on");
    return {
      name: "slack",
      mounts: [...(transport.kind === "http" ? [{ match: SLACK_EVENTS_PATH, handler: transport.receiver.handle, name: SLACK_EVENTS_PATH }] : []), ...linkMounts],
      // The authors' mention is a reply in the card's thread: it goes after the card.
      notifier: new SequenceNotifier([notifier, new AuthorMentionNotifier({ api, store, config, directory, clock, logger, githubUrl: settings.githubUrl })]),
      reminders: new SlackReminderSender(api, config.timezone),
      warner: new SlackDeployWarner({ api, store, directory, logger }),
      async start() {
        if (transport.kind === "socket") await app.start();
      },
      async stop() {
        await app.stop();
        await work.idle();
        await notifier.idle();
      },
    };
  };
}
