import { openStore, storeOptionsFromEnv } from "../adapters/store/open-store.js";
import type { CliIo } from "../cli/cli-io.js";
import type { DashboardSession, SessionSelector } from "../core/ports/dashboard-session-store.js";
import { whistlestopVersion } from "./project-root.js";
import { resolveSecretFiles } from "./settings/secret-files.js";

const line = (s: DashboardSession) => `${s.id}  ${s.login}${s.apiClient ? ` (as api:${s.apiClient})` : ""}  signed in ${s.createdAt}  until ${s.expiresAt}`;

/** `revoke all`, `revoke ds-…` (one session) or `revoke <login>` (every session of that person). */
const selectorOf = (who: string): SessionSelector => (who === "all" ? { all: true } : /^ds-[0-9a-f]+$/.test(who) ? { id: who } : { login: who.replace(/^@/, "") });

/**
 * `whistlestop sessions` lists the dashboard's active sign-ins; `whistlestop sessions revoke <who>`
 * ends them on every replica at once (they live in the store). Run where the server's store is
 * reachable, with the server's DATABASE_URL or WHISTLESTOP_DB.
 */
export async function runSessionsCommand(revoke: string | undefined, io: CliIo): Promise<number> {
  const secrets = resolveSecretFiles({ ...io.env });
  if (secrets.problems.length > 0) {
    io.stderr.write(`whistlestop sessions: ${secrets.problems.join("\n  ")}\n`);
    return 1;
  }
  let store;
  try {
    store = await openStore({ ...storeOptionsFromEnv(secrets.env), release: whistlestopVersion() });
  } catch (error) {
    io.stderr.write(`whistlestop sessions: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    const now = new Date();
    if (revoke === undefined) {
      const active = await store.listDashboardSessions(now);
      io.stdout.write(active.length ? `${active.map(line).join("\n")}\n` : "No one is signed in to the dashboard.\n");
      return 0;
    }
    const revoked = await store.revokeDashboardSessions(selectorOf(revoke), now);
    if (revoked.length === 0) {
      io.stderr.write(`No active dashboard session matches "${revoke}" (give a login, a session id like ds-0123abcd, or all); nothing was revoked.\n`);
      return 1;
    }
    await store.appendAudit({ at: now.toISOString(), actor: "whistlestop sessions", surface: "cli", action: "dashboard_session", outcome: "revoked", message: `revoked ${revoked.length} dashboard session(s): ${revoked.map((s) => `${s.id} (${s.login})`).join(", ")}`.slice(0, 2000) });
    io.stdout.write(`Revoked ${revoked.length} dashboard session${revoked.length === 1 ? "" : "s"}:\n${revoked.map(line).join("\n")}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
