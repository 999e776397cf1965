import type { Actor } from "../model/actor.js";
import { isAdmin } from "../policies/access-list.js";
import type { CommandDeps } from "./command-deps.js";
import type { DoneResult } from "./command-result.js";
import { gatherPermissionFacts } from "./gather-permission-facts.js";
import { done } from "./results.js";

/** `help`: what the actor may do — the usage `text` the parser wrote, and their role or their API client's scope. */
export async function handleHelp(deps: CommandDeps, text: string, actor: Actor): Promise<DoneResult> {
  const facts = await gatherPermissionFacts(deps, actor);
  const client = actor.apiClient ? deps.config.apiClients[actor.apiClient] : undefined;
  if (client) {
    const scope = `${actor.name} may ${client.may.join(", ") || "only read"} for ${client.services.join(", ")} in ${client.environments.join(", ")} (api_clients in whistlestop.yml).`;
    return done([text, scope].filter(Boolean).join("\n\n"));
  }
  const role = isAdmin(actor, deps.config, facts.teams)
    ? "You are an admin: you may --force through locks and windows (with --reason) and unlock anyone's lock."
    : actor.surface === "slack" && !actor.login
      ? "Your Slack account is not linked to a GitHub login, so you cannot deploy yet: type `/deploy link`, or ask an admin to add you under `people:` in whistlestop.yml."
      : `You act as ${actor.login ?? actor.name}; environments that list deployers accept only them and admins.`;
  return done([text, role].filter(Boolean).join("\n\n"));
}
