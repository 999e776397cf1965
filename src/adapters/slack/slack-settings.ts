/** Where Slack's settings come from and which transport they choose (SPEC §8). */
export interface SlackSettings {
  readonly botToken: string;
  /** HTTP mode: requests to POST /slack/events are verified with it. */
  readonly signingSecret?: string;
  /** Socket Mode: set, and Slack's requests arrive over a WebSocket instead. */
  readonly appToken?: string;
  /** SLACK_API_URL; default https://slack.com/api/. */
  readonly apiUrl?: string;
  /** Only Bolt's self-filter uses these; known ids skip its auth.test call. */
  readonly botId?: string;
  readonly botUserId?: string;
  /** Base URL for commit and PR links: https://github.com or the GitHub Enterprise host. */
  readonly githubUrl: string;
}

export type SlackSettingsResult =
  | { readonly enabled: true; readonly settings: SlackSettings }
  /** `problem`: some settings are there but not enough (a warning, not just "off"). */
  | { readonly enabled: false; readonly message: string; readonly problem: boolean };

/** Reads the Slack settings; the surface is off, with a message saying how to turn it on, when they are absent. */
export function slackSettingsFromEnv(env: NodeJS.ProcessEnv): SlackSettingsResult {
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim();
  const appToken = env.SLACK_APP_TOKEN?.trim();
  const githubUrl = env.GHE_HOST ? `${env.GHE_PROTOCOL ?? "https"}://${env.GHE_HOST}` : "https://github.com";
  if (!botToken && !signingSecret && !appToken) {
    return { enabled: false, problem: false, message: "Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) to turn it on; see docs/slack.md" };
  }
  if (!botToken) {
    return { enabled: false, problem: true, message: "Slack is off: SLACK_BOT_TOKEN (xoxb-…) is missing; it is needed to post deploy cards in both HTTP and Socket Mode" };
  }
  if (!appToken && !signingSecret) {
    return { enabled: false, problem: true, message: "Slack is off: SLACK_SIGNING_SECRET is missing (or set SLACK_APP_TOKEN to use Socket Mode instead)" };
  }
  return {
    enabled: true,
    settings: {
      botToken,
      ...(signingSecret ? { signingSecret } : {}),
      ...(appToken ? { appToken } : {}),
      ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
      ...(env.SLACK_BOT_ID ? { botId: env.SLACK_BOT_ID } : {}),
      ...(env.SLACK_BOT_USER_ID ? { botUserId: env.SLACK_BOT_USER_ID } : {}),
      githubUrl,
    },
  };
}
