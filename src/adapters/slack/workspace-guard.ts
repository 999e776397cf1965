import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { PinoLike } from "./bolt-logger.js";

export const OTHER_WORKSPACE_REPLY = "This Whistlestop serves another Slack workspace, so it did nothing with this.";

/**
 * The workspace a Slack request comes from: `team_id` on slash commands and Events API
 * callbacks, `team.id` on interactions (`user.team_id` when an org-wide install leaves `team` null).
 */
export function slackTeamIdOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const fields = body as { team_id?: unknown; team?: { id?: unknown } | null; user?: { team_id?: unknown } | null };
  const candidates = [fields.team_id, fields.team?.id, fields.user?.team_id];
  return candidates.find((value): value is string => typeof value === "string" && value !== "");
}

/**
 * Bolt global middleware, run before any listener (so before the request inbox records
 * anything), in HTTP and Socket Mode alike. With SLACK_TEAM_ID set, a request from any other
 * workspace — or one that names none — is acknowledged and dropped: a signing secret leaked to,
 * or an app installed in, another workspace must not be able to deploy.
 */
export function workspaceGuard(allowed: readonly string[], logger: Pick<PinoLike, "warn">): Middleware<AnyMiddlewareArgs> {
  const served = new Set(allowed);
  return async (args) => {
    const team = slackTeamIdOf(args.body);
    if (served.size === 0 || (team !== undefined && served.has(team))) return args.next();
    const body = args.body as { command?: unknown; type?: unknown; user_id?: unknown; user?: { id?: unknown } };
    const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
    const isCommand = typeof body.command === "string";
    logger.warn(
      { team: team ?? null, kind: isCommand ? "command" : (body.type ?? "unknown"), user: body.user_id ?? body.user?.id ?? null },
      "refused a Slack request from a workspace this Whistlestop does not serve (SLACK_TEAM_ID)",
    );
    // Events API callbacks were acknowledged by Bolt already and have no ack here.
    if (isCommand) await ack?.({ response_type: "ephemeral", text: OTHER_WORKSPACE_REPLY });
    else await ack?.();
  };
}
