import type { SlackSurfaceOptions } from "../../src/adapters/slack/slack-surface.js";
import { slackSurface } from "../../src/adapters/slack/slack-surface.js";
import { WebClientSlackApi } from "../../src/adapters/slack/web-client-slack-api.js";
import type { Identity, RepoPermission } from "../../src/core/ports/source-control.js";
import { startTestApp, type TestApp, type TestAppOptions } from "../kit/test-app.js";
import { FakeSlackApi, type SlackCall } from "./fake-slack-api.js";
import { BOT_TOKEN, sendClick, sendSlashCommand, SIGNING_SECRET, type ClickFields } from "./slack-requests.js";

/** Slack users of examples/whistlestop.yml `people`, plus one nobody mapped. */
export const USERS = {
  octocat: "U024BE7LH",
  alex: "U0ALEXSRE",
  jordan: "U0JORDANP",
  unmapped: "U0NEWBIE1",
} as const;

/** GitHub as the tests see it: alex is an SRE (admin), jordan and octocat are on payments (donations prod deployers). */
export const testIdentity: Identity = {
  repoPermission: async (_repo, login): Promise<RepoPermission | undefined> => (["octocat", "alex-sre", "jordan-payments"].includes(login) ? "write" : "read"),
  isTeamMember: async (org, team, login) =>
    org === "whistlestop-demo" && ((team === "sre" && login === "alex-sre") || (team === "payments" && ["jordan-payments", "octocat"].includes(login))),
};

export interface SlackTestApp extends TestApp {
  readonly slack: FakeSlackApi;
  /** Every Retry-After wait the Web API client asked for, in ms. */
  readonly sleeps: number[];
  /** Date.now() when each of those waits ended. */
  readonly sleepEnds: number[];
  /** Type a slash command as `user` in `channel`; resolves with the HTTP ack. */
  slash(user: string, command: string, text: string, options?: { channel?: string; timestamp?: number; triggerId?: string; teamId?: string }): Promise<{ status: number; text: string; ms: number; responseUrl: string }>;
  click(fields: Omit<ClickFields, "responseUrl"> & { responseUrl?: string }): Promise<{ status: number; text: string; responseUrl: string }>;
  /** The answers posted to one response_url, in order. */
  responses(responseUrl: string): SlackCall[];
  /** Waits for the next answer on a response_url. */
  response(responseUrl: string, index?: number): Promise<SlackCall>;
}

export interface SlackTestAppOptions extends TestAppOptions {
  readonly slack?: FakeSlackApi;
  readonly surface?: Partial<SlackSurfaceOptions>;
  /** SLACK_TEAM_ID: the workspaces served; default any. */
  readonly teamIds?: readonly string[];
}

let responseCounter = 0;

/** The real server with the Slack surface on, its Web API pointed at a local fake Slack. */
export async function startSlackTestApp(options: SlackTestAppOptions = {}): Promise<SlackTestApp> {
  const slack = options.slack ?? (await FakeSlackApi.start());
  const sleeps: number[] = [];
  const sleepEnds: number[] = [];
  // Retry-After is honoured through this sleep: recorded, and shortened so the suite stays fast.
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
    sleepEnds.push(Date.now());
  };
  const api = new WebClientSlackApi({ botToken: BOT_TOKEN, apiUrl: slack.apiUrl, sleep, retries: 0 });
  const t = await startTestApp({
    identity: testIdentity,
    ...options,
    surfaces: [
      ...(options.surfaces ?? []),
      slackSurface({ settings: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl, githubUrl: "https://github.com", teamIds: options.teamIds ?? [] }, api, cardUpdateIntervalMs: 20, ...options.surface }),
    ],
  });
  const responses = (url: string) => slack.of("respond", (c) => c.args.url === new URL(url).pathname);
  return {
    ...t,
    slack,
    sleeps,
    sleepEnds,
    async slash(user, command, text, extra = {}) {
      const responseUrl = slack.responseUrl(`r${++responseCounter}`);
      const ack = await sendSlashCommand(
        t.url,
        { command, text, userId: user, responseUrl, ...(extra.channel ? { channelId: extra.channel } : {}), ...(extra.triggerId ? { triggerId: extra.triggerId } : {}), ...(extra.teamId ? { teamId: extra.teamId } : {}) },
        extra.timestamp !== undefined ? { timestamp: extra.timestamp } : {},
      );
      return { ...ack, responseUrl };
    },
    async click(fields) {
      const responseUrl = fields.responseUrl ?? slack.responseUrl(`r${++responseCounter}`);
      const ack = await sendClick(t.url, { ...fields, responseUrl });
      return { ...ack, responseUrl };
    },
    responses,
    async response(url, index = 0) {
      await slack.waitFor("respond", () => responses(url).length > index);
      return responses(url)[index]!;
    },
    async close() {
      await t.close();
      if (!options.slack) await slack.close();
    },
  };
}
