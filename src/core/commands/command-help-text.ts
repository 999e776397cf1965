import type { Surface } from "../model/actor.js";
import type { Verb } from "./command.js";

/** Slack registers these as slash commands; the rest are reached through `/deploy <verb>`. */
const SLACK_SLASH_VERBS: readonly Verb[] = ["deploy", "rollback", "lock", "unlock", "deploys"];

const REASON = '[--reason "…"]';

/** The arguments of each verb; GitHub may omit the service (the repository's own) and a rollback's env. */
function argumentsOf(verb: Verb, surface: Surface): string {
  const service = surface === "github" ? "[<service>]" : "<service>";
  switch (verb) {
    case "deploy":
      return `${service} [to] <env> [<ref>] [--yes] [--force] ${REASON}`;
    case "rollback":
      return `${service} ${surface === "github" ? "[<env>]" : "<env>"} [to <deploy-id|sha>] [--yes] [--force] ${REASON}`;
    case "diff":
      return `${service} <env> [<ref>]`;
    case "status":
      return service;
    case "lock":
      return `${surface === "github" ? "[<service>|all]" : "<service|all>"} <env|all> [for <duration> | until <time>] [<reason>]`;
    case "unlock":
      return `${surface === "github" ? "[<service>|all]" : "<service|all>"} <env|all> [--force]`;
    case "deploys":
      return "[<service>] [<env>]";
    case "cancel":
      return `${service} <env>`;
    case "windows":
      return "[<env>]";
    case "approve":
      return "<deploy-id>";
    case "reject":
      return `<deploy-id> ${REASON}`;
    case "help":
      return "";
  }
}

/** How the verb is typed on a surface: `/lock` in Slack, `/deploy cancel` when Slack has no slash command for it. */
function invocation(verb: Verb, surface: Surface): string {
  if (surface === "github") return `/${verb}`;
  if (surface === "slack") return SLACK_SLASH_VERBS.includes(verb) ? `/${verb}` : `/deploy ${verb}`;
  return verb;
}

/** Chat surfaces render backticks as code; a terminal or a web page would print them. */
export function isPlainText(surface: Surface): boolean {
  return surface === "api" || surface === "dashboard";
}

/** `text` as code, where the surface shows code. */
export function asCode(text: string, surface: Surface): string {
  return isPlainText(surface) ? text : `\`${text}\``;
}

/** `/deploy <service> [to] <env> …` as typed on this surface. */
export function usageLine(verb: Verb, surface: Surface): string {
  return asCode(`${invocation(verb, surface)} ${argumentsOf(verb, surface)}`.trim(), surface);
}

/** One line per task; verbs that answer the same question share a line, so help fits a chat reply. */
const DESCRIPTIONS: ReadonlyArray<readonly [readonly Verb[], string]> = [
  [["deploy"], "deploy a branch, tag or sha (default: what is live in the env it promotes from, else the default branch)"],
  [["rollback"], "go back to the previous release, or to a given deploy or sha"],
  [["lock"], "stop deploys, e.g. for 2h or until 18:00"],
  [["unlock"], "lift a lock"],
  [["deploys"], "what is where, what runs and waits, locks and windows"],
  [["diff", "status"], "what a deploy would ship (starts nothing); each environment of a service: live release, running stage, queue, lock, windows"],
  [["cancel"], "stop the running deploy, or drop your queued one"],
  [["windows"], "current and next critical windows"],
  [["approve", "reject"], "answer a deploy that awaits approval (never your own); reject also withdraws your own request"],
];

function examples(surface: Surface): string {
  switch (surface) {
    case "slack":
      return `Examples: ${asCode("/deploy donations prod", surface)}, ${asCode("/lock donations prod for 2h debate prep", surface)}. Every command also works after /deploy: ${asCode("/deploy lock …", surface)}.`;
    case "github":
      return `Examples: ${asCode("/deploy staging", surface)} (this PR's head), ${asCode("/deploy prod main --yes", surface)}, ${asCode("/rollback prod", surface)}. Only a comment's first line counts.`;
    case "api":
    case "dashboard":
      return "Examples: deploy donations prod, lock donations prod for 2h debate prep";
  }
}

/** A concise list of the commands, in the syntax of the surface they were asked from. */
export function commandHelpText(surface: Surface): string {
  const lines = DESCRIPTIONS.map(([verbs, what]) => `${verbs.map((verb) => usageLine(verb, surface)).join(" · ")} — ${what}`);
  return [
    "Whistlestop commands:",
    ...lines,
    "--yes confirms where confirmation is needed; --force with --reason lets admins pass locks and windows.",
    examples(surface),
  ].join("\n");
}
