import type { Actor } from "../../core/model/actor.js";
import type { WhistlestopConfig } from "../../core/model/config.js";

/**
 * The Slack user as the core sees them: the GitHub login from `people` when mapped (permission
 * rules need it), else their Slack name or id, which only `slack:U…` entries can vouch for.
 */
export function slackActor(config: Pick<WhistlestopConfig, "people">, userId: string, userName?: string, teamId?: string): Actor {
  const login = Object.hasOwn(config.people, userId) ? config.people[userId] : undefined;
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
  return `_Your Slack account is not linked to a GitHub login, so Whistlestop cannot check your access. Ask an admin to add \`${userId}: &lt;your-github-login&gt;\` under \`people:\` in whistlestop.yml._`;
}
