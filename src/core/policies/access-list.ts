import { API_CLIENT_PREFIX, type Actor } from "../model/actor.js";
import type { Target, WhistlestopConfig } from "../model/config.js";

/**
 * Entries of `deployers` and `admins`: a GitHub login (case-insensitive, an optional leading
 * `@` is ignored), an `@org/team`, `slack:U…`, or `api:<client>` for an API client.
 */
const SLACK_PREFIX = "slack:";

export interface TeamRef {
  readonly org: string;
  readonly team: string;
}

/** `@org/team` → {org, team}; anything else → undefined. */
export function parseTeamEntry(entry: string): TeamRef | undefined {
  const m = /^@([^/\s]+)\/([^/\s]+)$/.exec(entry.trim());
  return m ? { org: m[1]!, team: m[2]! } : undefined;
}

/**
 * Whether the actor is named by one of `entries`; `teams` holds the `@org/team` entries the actor
 * belongs to. An API client matches only `api:<its name>`: never a login, a team or a Slack id, so a
 * token named like a person gets none of that person's rights.
 */
export function isListed(entries: readonly string[], actor: Actor, teams: ReadonlySet<string>): boolean {
  if (actor.apiClient) {
    const key = `${API_CLIENT_PREFIX}${actor.apiClient}`.toLowerCase();
    return entries.some((entry) => entry.trim().toLowerCase() === key);
  }
  const login = actor.login?.toLowerCase();
  const slackId = actor.slackUserId?.toUpperCase();
  const memberOf = new Set([...teams].map((t) => t.trim().toLowerCase()));
  return entries.some((raw) => {
    const entry = raw.trim();
    const lower = entry.toLowerCase();
    if (lower.startsWith(SLACK_PREFIX)) return slackId !== undefined && entry.slice(SLACK_PREFIX.length).toUpperCase() === slackId;
    if (lower.startsWith(API_CLIENT_PREFIX)) return false;
    if (parseTeamEntry(entry)) return memberOf.has(lower);
    return login !== undefined && entry.replace(/^@/, "").toLowerCase() === login;
  });
}

/** Admins may --force through locks, windows and promotion, unlock anyone's lock and lock `all` scopes. */
export function isAdmin(actor: Actor, config: WhistlestopConfig, teams: ReadonlySet<string>): boolean {
  return isListed(config.admins, actor, teams);
}

/**
 * The `@org/team` entries whose membership the caller must look up (Identity.isTeamMember)
 * before evaluating: the target's deployers, the admins and `extra` (approvers), without duplicates.
 */
export function teamEntriesToCheck(config: WhistlestopConfig, target?: Pick<Target, "deployers">, extra: readonly string[] = []): string[] {
  const entries = [...(target?.deployers ?? []), ...config.admins, ...extra].filter((e) => parseTeamEntry(e) !== undefined);
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = e.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "@hfa/sre, alice" — or a hint that nobody is listed. */
export function describeEntries(entries: readonly string[]): string {
  return entries.length ? entries.join(", ") : "none configured";
}
