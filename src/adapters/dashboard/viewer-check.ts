import type { WhistlestopConfig } from "../../core/model/config.js";
import type { DashboardSession } from "../../core/ports/dashboard-session-store.js";
import type { Identity } from "../../core/ports/source-control.js";
import { parseTeamEntry } from "../../core/policies/access-list.js";

export type ViewerVerdict = { readonly ok: true } | { readonly ok: false; readonly status: 403 | 503; readonly message: string };

/** The organisations that own the configured repositories (`whistlestop-demo/donations` → whistlestop-demo). */
export function owningOrganisations(config: WhistlestopConfig): string[] {
  return [...new Set(Object.values(config.services).map((s) => s.repo.split("/")[0]!.toLowerCase()))].sort();
}

/**
 * Who may view the dashboard: the members of the organisations owning the configured repositories,
 * and whoever `dashboard.viewers` names (a login or an `@org/team`). Asked of GitHub on every page
 * (its answers are cached for a minute), so someone who left the organisation is out within a
 * minute. Without GitHub only `dashboard.viewers` passes; a lookup that fails refuses (fail closed).
 */
export async function checkViewer(config: WhistlestopConfig, identity: Identity | undefined, session: DashboardSession): Promise<ViewerVerdict> {
  // The sandbox's visitor acts as a declared API client: it was let in by the sandbox, not by GitHub.
  if (session.apiClient) return { ok: true };
  const login = session.login.toLowerCase();
  const viewers = config.dashboard?.viewers ?? [];
  if (viewers.some((entry) => entry.trim().replace(/^@/, "").toLowerCase() === login)) return { ok: true };
  try {
    for (const entry of viewers) {
      const team = parseTeamEntry(entry);
      if (team && identity && (await identity.isTeamMember(team.org, team.team, session.login))) return { ok: true };
    }
    const orgs = owningOrganisations(config);
    if (identity?.isOrgMember) {
      for (const org of orgs) if (await identity.isOrgMember(org, session.login)) return { ok: true };
    }
    const who = orgs.length ? `a member of ${orgs.join(" or ")}` : "in an organisation that owns a configured repository";
    const how = identity?.isOrgMember ? "" : " (GitHub is not configured here, so only dashboard.viewers is checked)";
    return {
      ok: false,
      status: 403,
      message: `${session.login} may not view this dashboard: not ${who}, and not listed under dashboard.viewers in whistlestop.yml${how}. Ask an admin to add you.`,
    };
  } catch (error) {
    return { ok: false, status: 503, message: `Whistlestop could not check with GitHub whether ${session.login} may view this dashboard (${(error as Error).message}). Try again in a minute.` };
  }
}
