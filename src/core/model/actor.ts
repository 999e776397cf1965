/**
 * Where a request came from: Slack, a GitHub comment or merge, the HTTP API (CLI and Action
 * included), or the web dashboard's forms. Every surface maps its user to an Actor before the core
 * sees the request.
 */
export type Surface = "slack" | "github" | "api" | "dashboard";

export interface Actor {
  readonly surface: Surface;
  /** Display name: GitHub login, Slack user id when unmapped, or `api:<name>` for an API client. */
  readonly name: string;
  /**
   * The GitHub login used by permission rules: the commenter or merger on GitHub, the mapped or
   * linked login on Slack (absent when the user has neither), the owner of a personal API token.
   * Never set for an API client: a client's name is not a GitHub login.
   */
  readonly login?: string;
  readonly slackUserId?: string;
  /** The Slack workspace (team id) the request came from; a Slack user id is unique only within it. */
  readonly slackTeamId?: string;
  /** An API client declared in `api_clients`: matched only as `api:<name>` in deployers and admins. */
  readonly apiClient?: string;
}

export const API_CLIENT_PREFIX = "api:";

/** A stable key that says whether two actors are the same person (lock ownership). */
export function actorKey(actor: Actor): string {
  if (actor.apiClient) return `${API_CLIENT_PREFIX}${actor.apiClient.toLowerCase()}`;
  if (actor.login) return `login:${actor.login.toLowerCase()}`;
  if (actor.slackUserId) return `slack:${actor.slackUserId}`;
  return `${actor.surface}:${actor.name}`;
}

/** The display name of an API client's requests: `api:ci`, or `api:ci (octocat)` from a GitHub workflow. */
export function apiClientName(client: string, shownWith?: string): string {
  return `${API_CLIENT_PREFIX}${client}${shownWith ? ` (${shownWith})` : ""}`;
}

/**
 * The actor a stored deploy was requested by, as far as the record tells (lock ownership and the
 * queue's re-checks). An API client's record has no login and a name starting with `api:` (also
 * from the dashboard, whose sandbox visitor acts as an API client).
 */
export function actorOfDeploy(deploy: { readonly surface: Surface; readonly actor: string; readonly actorLogin?: string }): Actor {
  const base = { surface: deploy.surface, name: deploy.actor };
  if (deploy.actorLogin) return { ...base, login: deploy.actorLogin };
  if ((deploy.surface === "api" || deploy.surface === "dashboard") && deploy.actor.startsWith(API_CLIENT_PREFIX)) {
    return { ...base, apiClient: deploy.actor.slice(API_CLIENT_PREFIX.length).split(" ", 1)[0]! };
  }
  return deploy.surface === "slack" ? { ...base, slackUserId: deploy.actor } : base;
}

/** Whose deploy it is, as a lock owner key: the key recorded when it was asked for, or the best the record tells for older ones. */
export function deployOwnerKey(deploy: { readonly surface: Surface; readonly actor: string; readonly actorLogin?: string; readonly actorKey?: string }): string {
  return deploy.actorKey ?? actorKey(actorOfDeploy(deploy));
}
