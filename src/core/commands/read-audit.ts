import type { Actor } from "../model/actor.js";
import { normalizeActorFilter, type AuditQuery, type AuditRecord } from "../model/audit.js";
import { isAdmin } from "../policies/access-list.js";
import { parseDuration } from "../time/duration.js";
import { parseIsoInZone } from "../time/zoned-time.js";
import type { CommandDeps } from "./command-deps.js";
import { gatherPermissionFacts } from "./gather-permission-facts.js";
import { suggestName } from "./suggest-name.js";

/** The audit API's query parameters as they arrived: every one optional, all of them text. */
export interface AuditFilters {
  readonly service?: string;
  readonly env?: string;
  readonly actor?: string;
  /** An ISO 8601 time (zone-less: the config's timezone) or a duration back from now (`24h`, `7d`). */
  readonly since?: string;
  /** The `next` of the page before. */
  readonly cursor?: string;
  /** Entries per page, 1–MAX_AUDIT_PAGE. */
  readonly limit?: string;
}

export type AuditAnswer =
  | { readonly kind: "page"; readonly entries: readonly AuditRecord[]; readonly next: string | null }
  /** A filter is malformed: the message says which and how to write it. Nothing was read. */
  | { readonly kind: "invalid"; readonly message: string }
  | { readonly kind: "forbidden"; readonly message: string };

export const DEFAULT_AUDIT_PAGE = 50;
export const MAX_AUDIT_PAGE = 200;
const ACTOR = /^@?[A-Za-z0-9][A-Za-z0-9:._\-[\] ()]{0,99}$/;
const CURSOR = /^[1-9]\d{0,14}$/;

/**
 * Who did what, newest first, a page at a time. Admins only: the log names everyone's refusals
 * and overrides. Each page's `next` is the cursor of the page after it, null on the last.
 */
export async function readAudit(deps: Pick<CommandDeps, "config" | "identity" | "store" | "clock" | "logger">, filters: AuditFilters, actor: Actor): Promise<AuditAnswer> {
  const facts = await gatherPermissionFacts(deps, actor);
  if (!isAdmin(actor, deps.config, facts.teams)) {
    return { kind: "forbidden", message: `Only admins may read the audit log, and ${actor.name} is not one (admins: ${deps.config.admins.join(", ") || "none configured"}). Ask an admin, or ask to be added under admins in whistlestop.yml.` };
  }
  const query = toQuery(deps, filters);
  if ("problem" in query) return { kind: "invalid", message: query.problem };
  const rows = await deps.store.queryAudit({ ...query, limit: query.limit + 1 });
  const entries = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return { kind: "page", entries, next: more ? String(entries.at(-1)!.id) : null };
}

function toQuery(deps: Pick<CommandDeps, "config" | "clock">, f: AuditFilters): AuditQuery | { problem: string } {
  const { config } = deps;
  const query: { -readonly [K in keyof AuditQuery]: AuditQuery[K] } = { limit: DEFAULT_AUDIT_PAGE };
  const known = (value: string, names: readonly string[], what: "service" | "env"): string | undefined => {
    if (names.includes(value)) return undefined;
    const suggestion = suggestName(value, names);
    return `unknown ${what} "${value.slice(0, 60)}"${suggestion ? ` — did you mean "${suggestion}"?` : ""} The ${what} filter takes a name from whistlestop.yml.`;
  };
  if (f.service !== undefined) {
    const problem = known(f.service, Object.keys(config.services), "service");
    if (problem) return { problem };
    query.service = f.service;
  }
  if (f.env !== undefined) {
    const problem = known(f.env, Object.keys(config.environments), "env");
    if (problem) return { problem };
    query.env = f.env;
  }
  if (f.actor !== undefined) {
    if (!ACTOR.test(f.actor.trim())) return { problem: `actor must be a GitHub login (alice), slack:<user id> or an API client's name, not "${f.actor.slice(0, 60)}".` };
    query.actorKey = normalizeActorFilter(f.actor);
  }
  if (f.since !== undefined) {
    const since = parseSince(f.since, deps.clock.now(), config.timezone);
    if (!since) return { problem: `since must be an ISO 8601 time (2026-11-03T18:00Z, or 2026-11-03 in ${config.timezone}) or a duration back from now (24h, 7d), not "${f.since.slice(0, 60)}".` };
    query.since = since.toISOString();
  }
  if (f.cursor !== undefined) {
    if (!CURSOR.test(f.cursor)) return { problem: "cursor must be the next value of a previous page, unchanged." };
    query.beforeId = Number(f.cursor);
  }
  if (f.limit !== undefined) {
    const limit = /^\d{1,4}$/.test(f.limit) ? Number(f.limit) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_AUDIT_PAGE)) return { problem: `limit must be a whole number from 1 to ${MAX_AUDIT_PAGE}.` };
    query.limit = limit;
  }
  return query;
}

function parseSince(text: string, now: Date, timezone: string): Date | undefined {
  const ago = parseDuration(text);
  if (ago !== undefined) return new Date(now.getTime() - ago);
  return parseIsoInZone(text, timezone);
}
