import type { Actor } from "../../core/model/actor.js";

/**
 * The Slack user as the core sees them: the GitHub login from `people` or their own link (permission
 * rules need it), else their Slack name or id, which only `slack:U…` entries can vouch for.
 */
export function slackActor(login: string | undefined, userId: string, userName?: string, teamId?: string): Actor {
  return {
    surface: "slack",
    name: login ?? (userName && userName.trim() ? userName.trim() : userId),
    ...(login ? { login } : {}),
    slackUserId: userId,
    ...(teamId ? { slackTeamId: teamId } : {}),
  };
}

/** Said to an unmapped user wherever they use Whistlestop, so they know how to get mapped (mrkdwn). */
export function unmappedHint(userId: string): string {
  return `_Your Slack account is not linked to a GitHub login, so Whistlestop cannot check your access. Type \`/deploy link\` to link it, or ask an admin to add \`${userId}: &lt;your-github-login&gt;\` under \`people:\` in whistlestop.yml._`;
}
