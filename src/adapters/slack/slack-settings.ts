import type { SettingsRead } from "../settings-read.js";

/** Where Slack's settings come from and which transport they choose. */
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
  /** SLACK_TEAM_ID: the only workspaces served; empty = any workspace that has the signing secret. */
  readonly teamIds?: readonly string[];
}

export type SlackSettingsResult = SettingsRead<SlackSettings>;

/** Workspace ids look like T0123ABCD. */
const TEAM_ID = /^T[A-Z0-9]{2,}$/;
const SEE = "see docs/slack.md";

/**
 * Reads the Slack settings. Some but not all of them is a mistake, never "Slack off": commands
 * would go unanswered and cards unposted without a word.
 */
export function slackSettingsFromEnv(env: NodeJS.ProcessEnv): SlackSettingsResult {
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim();
  const appToken = env.SLACK_APP_TOKEN?.trim();
  const teamIdsText = env.SLACK_TEAM_ID?.trim();
  const githubUrl = env.GHE_HOST ? `${env.GHE_PROTOCOL ?? "https"}://${env.GHE_HOST}` : "https://github.com";
  if (!botToken && !signingSecret && !appToken) {
    return teamIdsText
      ? { kind: "invalid", problems: [`SLACK_TEAM_ID is set but Slack is not: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN), or unset SLACK_TEAM_ID (${SEE}).`] }
      : { kind: "off" };
  }
  const problems: string[] = [];
  if (!botToken) {
    const present = [signingSecret ? "SLACK_SIGNING_SECRET" : undefined, appToken ? "SLACK_APP_TOKEN" : undefined].filter(Boolean).join(" and ");
    problems.push(`Slack is half configured: ${present} ${present.includes(" and ") ? "are" : "is"} set but SLACK_BOT_TOKEN (xoxb-…) is missing; it posts the deploy cards in both HTTP and Socket Mode (${SEE}).`);
  } else if (!signingSecret && !appToken) {
    problems.push(`Slack is half configured: SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode) is missing (${SEE}).`);
  }
  const teamIds = (teamIdsText ?? "").split(",").map((id) => id.trim()).filter((id) => id !== "");
  const badIds = teamIds.filter((id) => !TEAM_ID.test(id));
  if (badIds.length > 0) {
    problems.push(`SLACK_TEAM_ID must list workspace ids like T0123ABCD, separated by commas; ${badIds.map((id) => `"${id}"`).join(", ")} ${badIds.length === 1 ? "is" : "are"} not one.`);
  }
  if (problems.length > 0 || !botToken) return { kind: "invalid", problems };
  return {
    kind: "on",
    settings: {
      botToken,
      ...(signingSecret ? { signingSecret } : {}),
      ...(appToken ? { appToken } : {}),
      ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
      ...(env.SLACK_BOT_ID ? { botId: env.SLACK_BOT_ID } : {}),
      ...(env.SLACK_BOT_USER_ID ? { botUserId: env.SLACK_BOT_USER_ID } : {}),
      githubUrl,
      teamIds: [...new Set(teamIds)],
    },
  };
}
