import type { App } from "@slack/bolt";

/**
 * Bolt keeps one Web API client pool per workspace in a plain object keyed by the request's
 * `team_id` (or enterprise id). A signed request naming a workspace such as `valueOf` or
 * `constructor` then finds an inherited function instead of a pool, and Bolt throws before any
 * listener runs: a 500 for a body Slack could sign. A prototype-less map has no inherited keys,
 * so every id, however odd, gets its own pool (and the workspace guard still refuses it).
 */
export function withPrototypeFreeClientPools(app: App): App {
  const internals = app as unknown as { clients?: Record<string, unknown> };
  if (typeof internals.clients !== "object" || internals.clients === null) {
    throw new Error("Bolt's client pool map has moved; re-check withPrototypeFreeClientPools against this Bolt version");
  }
  internals.clients = Object.assign(Object.create(null) as Record<string, unknown>, internals.clients);
  return app;
}
