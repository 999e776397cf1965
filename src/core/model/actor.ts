/** Who asked. Every surface maps its user to one of these before the core sees the request. */
export type Surface = "slack" | "github" | "api";

export interface Actor {
  readonly surface: Surface;
  /** Display name: GitHub login, Slack user id when unmapped, or the API token's name. */
  readonly name: string;
  /**
   * The GitHub login used by permission rules: the commenter or merger on GitHub, the
   * mapped login on Slack (absent when the user is not in `people`), the token name for the API.
   */
  readonly login?: string;
  readonly slackUserId?: string;
  /** The Slack workspace (team id) the request came from; a Slack user id is unique only within it. */
  readonly slackTeamId?: string;
}

/** A stable key that says whether two actors are the same person (lock ownership). */
export function actorKey(actor: Actor): string {
  if (actor.login) return `login:${actor.login.toLowerCase()}`;
  if (actor.slackUserId) return `slack:${actor.slackUserId}`;
  return `${actor.surface}:${actor.name}`;
}
