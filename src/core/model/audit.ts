import type { Actor } from "./actor.js";

/** One line of the append-only audit log: every decision, override and refusal. */
export interface AuditEntry {
  readonly at: string;
  /** Display name (`alice`, `ci (octocat)`, a Slack user id, `whistlestop`). */
  readonly actor: string;
  /**
   * Who acted, as the audit API's `actor` filter matches it (see auditActorKey); absent = the
   * display name, lower-cased.
   */
  readonly actorKey?: string;
  readonly surface: string;
  /** The command verb or internal action (deploy, lock, drop, supersede, protection_rule, force…). */
  readonly action: string;
  readonly service?: string;
  readonly env?: string;
  readonly deployId?: string;
  /** started, queued, refused, done, approved, rejected, dropped, superseded, … */
  readonly outcome: string;
  readonly reasonCode?: string;
  readonly message?: string;
}

/** An entry as stored: its place in the log (the paging cursor) and the key it is filtered by. */
export interface AuditRecord extends AuditEntry {
  readonly id: number;
  readonly actorKey: string;
}

/** What the audit log can be asked; every filter is optional and they combine with "and". */
export interface AuditQuery {
  readonly service?: string;
  readonly env?: string;
  /** An actor key (normalizeActorFilter of what was typed). */
  readonly actorKey?: string;
  /** Only entries at or after this instant (ISO 8601, UTC). */
  readonly since?: string;
  /** Only entries older than this id (the previous page's last): newest first, so paging walks back. */
  readonly beforeId?: number;
  readonly deployId?: string;
  readonly limit: number;
}

/** Whistlestop's own decisions (a queued deploy dropped or superseded) are made in its name. */
export const SYSTEM_ACTOR = "whistlestop";

/**
 * The key an actor is found by in the audit log: the GitHub login it acts as (people, links,
 * personal tokens, commenters), else `slack:<user id>` for an unmapped Slack user, else its
 * name (an API client). Lower-cased, as logins are case-insensitive.
 */
export function auditActorKey(actor: Actor): string {
  if (actor.login) return actor.login.toLowerCase();
  if (actor.slackUserId) return `slack:${actor.slackUserId}`.toLowerCase();
  return actor.name.toLowerCase();
}

/** What someone typed as `actor=` (`@alice`, `Alice`, `slack:U0ABC`, `api:ci`) as a key. */
export function normalizeActorFilter(typed: string): string {
  return typed.trim().replace(/^@/, "").toLowerCase();
}
