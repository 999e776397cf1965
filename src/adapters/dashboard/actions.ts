import type { ServerResponse } from "node:http";
import type { CommandResult } from "../../core/commands/command-result.js";
import { readPendingCommand } from "../../core/commands/pending-command.js";
import type { RequestContext } from "../../core/commands/request-context.js";
import type { Flash } from "./flash.js";
import type { DashboardDeps, Viewer } from "./page.js";
import type { SignedValues } from "./signed-values.js";

/** The verbs the dashboard's forms post: each runs through the same CommandRunner as every surface. */
export const ACTION_VERBS = ["lock", "unlock", "cancel", "rollback", "approve", "reject", "confirm"] as const;
export type ActionVerb = (typeof ACTION_VERBS)[number];

const NAME = /^[A-Za-z0-9._-]{1,100}$/;
const DEPLOY_ID = /^[a-zA-Z0-9-]{1,128}$/;
const DURATION = /^[0-9]{1,6}[a-z]{1,3}(?:[0-9]{1,6}[a-z]{1,3}){0,3}$/i;
const NONCE = /^[A-Za-z0-9_-]{8,64}$/;

/** A reason goes into the command text as one quoted word: quotes and line breaks inside it are dropped. */
const quoted = (text: string): string => `"${text.replace(/["“”„\r\n]+/g, " ").trim().slice(0, 500)}"`;

/** Where to send the visitor back to: a path on this site only, never another host. */
export function backPath(raw: string | null): string {
  return raw && /^\/(?![/\\])[^\s]{0,500}$/.test(raw) ? raw : "/";
}

type Built = { readonly text: string } | { readonly run: (context: RequestContext) => Promise<CommandResult> } | { readonly problem: string };

/** The command a form stands for, built from its fields the way a person would type it. */
function buildCommand(verb: ActionVerb, form: URLSearchParams, deps: DashboardDeps, signed: SignedValues): Built {
  const field = (name: string) => form.get(name)?.trim() ?? "";
  const target = (): string | undefined => {
    const service = field("service");
    const env = field("env");
    return NAME.test(service) && NAME.test(env) ? `${service} ${env}` : undefined;
  };
  const id = field("id");
  switch (verb) {
    case "lock": {
      const on = target();
      if (!on) return { problem: "Choose a service (or all) and an environment (or all) to lock." };
      const duration = field("for");
      if (duration && !DURATION.test(duration)) return { problem: `"${duration.slice(0, 40)}" is not a duration like 90m, 2h or 1h30m; leave it empty to lock until unlocked.` };
      const reason = field("reason");
      return { text: `lock ${on}${duration ? ` for ${duration}` : ""}${reason ? ` --reason ${quoted(reason)}` : ""}` };
    }
    case "unlock": {
      const on = target();
      if (!on) return { problem: "Choose the service and environment to unlock." };
      return { text: `unlock ${on}${field("force") === "yes" ? " --force" : ""}` };
    }
    case "approve":
    case "reject": {
      if (!DEPLOY_ID.test(id)) return { problem: "That form named no deploy; reload the page and try again." };
      const reason = field("reason");
      return { text: `${verb} ${id}${verb === "reject" && reason ? ` --reason ${quoted(reason)}` : ""}` };
    }
    case "cancel":
    case "rollback": {
      if (!DEPLOY_ID.test(id)) return { problem: "That form named no deploy; reload the page and try again." };
      return { run: (context) => (verb === "cancel" ? deps.runner.cancelById(id, context) : deps.runner.rollbackDeploy(id, context)) };
    }
    case "confirm": {
      const value = signed.verify("pending", field("pending"));
      const pending = value ? readPendingCommand(safeJson(value)) : undefined;
      if (!pending) return { problem: "That confirmation is not one this dashboard asked for; do the action again." };
      return { run: (context) => deps.runner.confirm(pending, context) };
    }
  }
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** What the page shows of a result: the same message every surface shows. */
export function flashOf(result: CommandResult, signed: SignedValues): Flash {
  if (result.outcome === "ignored") return { kind: "ok", message: "Nothing to do." };
  if (result.outcome === "refused" && result.reasonCode === "confirmation_required" && "pending" in result) {
    return { kind: "confirm", message: result.question, pending: signed.sign("pending", JSON.stringify(result.pending)) };
  }
  if (result.outcome === "refused") return { kind: "refused", message: result.message, reasonCode: result.reasonCode };
  return { kind: "ok", message: result.message };
}

/**
 * Runs one posted form (its CSRF token already checked) and sends the visitor back where they
 * were, with the answer as a one-time message. Nothing is run for a form that does not add up.
 */
export async function runAction(verb: ActionVerb, form: URLSearchParams, viewer: Viewer, deps: DashboardDeps, signed: SignedValues): Promise<Flash> {
  const built = buildCommand(verb, form, deps, signed);
  if ("problem" in built) return { kind: "refused", message: built.problem, reasonCode: "bad_command" };
  const nonce = form.get("nonce") ?? "";
  const context: RequestContext = { actor: viewer.actor, ...(NONCE.test(nonce) ? { idempotencyKey: `dashboard:${viewer.session.id}:${nonce}` } : {}) };
  try {
    const result = "text" in built ? await deps.runner.runText(built.text, context) : await built.run(context);
    return flashOf(result, signed);
  } catch (error) {
    return { kind: "refused", message: `Whistlestop could not run that (${(error as Error).message}). Nothing was changed; try again.`, reasonCode: "internal_error" };
  }
}

/** 303: the browser GETs the page again, so a reload never re-posts the form. */
export function redirectAfterPost(res: ServerResponse, location: string, cookies: readonly string[]): void {
  res.writeHead(303, { Location: location, "Set-Cookie": [...cookies], "Cache-Control": "no-store", "Content-Length": 0 });
  res.end();
}
