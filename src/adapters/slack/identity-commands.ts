import { randomBytes } from "node:crypto";
import { SLACK_ONLY_VERBS } from "../../core/commands/command.js";
import type { PeopleDirectory } from "../../core/identity/people-directory.js";
import type { Clock } from "../../core/ports/clock.js";
import type { SlackUserRef } from "../../core/ports/identity-store.js";
import type { Store } from "../../core/ports/store.js";
import { hashSecret, newPersonalToken, PERSONAL_TOKEN_DAYS } from "../identity/personal-tokens.js";

/** How long a `/deploy link` URL works. */
export const LINK_STATE_MS = 10 * 60_000;

export interface IdentityCommandDeps {
  readonly directory: PeopleDirectory;
  readonly store: Pick<Store, "createOAuthState" | "deleteSlackLink" | "insertPersonalToken" | "listPersonalTokens" | "revokePersonalToken" | "appendAudit">;
  readonly clock: Clock;
  /** `{PUBLIC_URL}/auth/github/start`; absent when linking is not configured. */
  readonly linkStartUrl?: string;
}

export const LINKING_OFF =
  "Linking is not set up on this Whistlestop: an admin must set GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET and PUBLIC_URL (docs/slack.md). Until then, ask an admin to add you under `people:` in whistlestop.yml.";

/**
 * `/deploy link | unlink | token [revoke <id>] | tokens`: about the person, not a deploy, so the
 * Slack surface answers them itself. Returns the (ephemeral) answer, or undefined when `text` is
 * not one of them. Secrets (the link's state, a new token) appear only in that answer.
 */
export async function answerIdentityCommand(deps: IdentityCommandDeps, text: string, user: SlackUserRef): Promise<string | undefined> {
  const [first = "", ...rest] = text.trim().split(/\s+/);
  const verb = SLACK_ONLY_VERBS.find((v) => v === first.replace(/^\//, "").toLowerCase());
  if (!verb) return undefined;
  const args = rest.filter((word) => word !== "");
  switch (verb) {
    case "link":
      return args.length ? "`/deploy link` takes no arguments." : link(deps, user);
    case "unlink":
      return args.length ? "`/deploy unlink` takes no arguments." : unlink(deps, user);
    case "tokens":
      return args.length ? "`/deploy tokens` takes no arguments." : listTokens(deps, user);
    case "token":
      if (args.length === 0) return issueToken(deps, user);
      if (args.length === 2 && args[0]!.toLowerCase() === "revoke") return revokeToken(deps, user, args[1]!);
      return "Usage: `/deploy token` issues a personal API token; `/deploy token revoke <id>` revokes one (`/deploy tokens` lists them).";
  }
}

async function audit(deps: IdentityCommandDeps, user: SlackUserRef, actor: string, action: string, outcome: string, message: string): Promise<void> {
  await deps.store.appendAudit({ at: deps.clock.now().toISOString(), actor, surface: "slack", action, outcome, message: `${message} (Slack user ${user.userId}${user.teamId ? ` in ${user.teamId}` : ""})` });
}

async function link(deps: IdentityCommandDeps, user: SlackUserRef): Promise<string> {
  if (!deps.linkStartUrl) return LINKING_OFF;
  const state = randomBytes(32).toString("base64url");
  const now = deps.clock.now();
  await deps.store.createOAuthState({ ...user, stateHash: hashSecret(state), createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + LINK_STATE_MS).toISOString() });
  const mapped = deps.directory.fromPeople(user.userId);
  const note = mapped ? `\n_whistlestop.yml already maps you to ${mapped} under \`people:\`, which wins over a link._` : "";
  return `Open this link within 10 minutes to link your Slack account to your GitHub login (it works once, and only for you):\n${deps.linkStartUrl}?state=${state}${note}`;
}

async function unlink(deps: IdentityCommandDeps, user: SlackUserRef): Promise<string> {
  const removed = await deps.store.deleteSlackLink(user);
  if (!removed) return "Your Slack account has no link to GitHub; nothing was changed.";
  await audit(deps, user, removed.login, "unlink", "done", `unlinked from GitHub login ${removed.login}`);
  return `Unlinked: your Slack account no longer acts as ${removed.login}. Personal tokens made while linked stop working.`;
}

async function issueToken(deps: IdentityCommandDeps, user: SlackUserRef): Promise<string> {
  const person = await deps.directory.resolve(user);
  if (!person.login) return `A personal token acts as your GitHub login, and Whistlestop does not know yours. ${("note" in person && person.note) || "Type `/deploy link` first."}`;
  const { secret, record } = newPersonalToken(user, person.login, deps.clock.now());
  await deps.store.insertPersonalToken(record);
  await audit(deps, user, person.login, "token issue", "done", `personal token ${record.id} issued, expires ${record.expiresAt}`);
  return (
    `Your personal API token \`${record.id}\` acts as ${person.login} with your own rights, for ${PERSONAL_TOKEN_DAYS} days (until ${record.expiresAt.slice(0, 10)}). ` +
    `It is shown only now; store it like a password:\n\`${secret}\`\n` +
    `Use it as WHISTLESTOP_TOKEN for the CLI or as the Action's token. \`/deploy token revoke ${record.id}\` revokes it.`
  );
}

async function listTokens(deps: IdentityCommandDeps, user: SlackUserRef): Promise<string> {
  const tokens = await deps.store.listPersonalTokens(user);
  if (tokens.length === 0) return "You have no personal API tokens. `/deploy token` issues one.";
  const now = deps.clock.now().toISOString();
  const lines = tokens.map((t) => {
    const status = t.revokedAt ? `revoked ${t.revokedAt.slice(0, 10)}` : t.expiresAt <= now ? `expired ${t.expiresAt.slice(0, 10)}` : `active until ${t.expiresAt.slice(0, 10)}`;
    return `• \`${t.id}\` as ${t.login}, issued ${t.createdAt.slice(0, 10)}, ${status}`;
  });
  return `Your personal API tokens:\n${lines.join("\n")}`;
}

async function revokeToken(deps: IdentityCommandDeps, user: SlackUserRef, id: string): Promise<string> {
  const revoked = await deps.store.revokePersonalToken(id, user, deps.clock.now());
  if (!revoked) return `You have no active personal token \`${id.slice(0, 40)}\`; nothing was changed. \`/deploy tokens\` lists yours.`;
  await audit(deps, user, revoked.login, "token revoke", "done", `personal token ${revoked.id} revoked`);
  return `Revoked personal token \`${revoked.id}\`: requests with it now get 401.`;
}
