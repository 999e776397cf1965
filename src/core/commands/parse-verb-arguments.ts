import type { RefusalCode } from "../policies/decision.js";
import type { Command, Verb } from "./command.js";
import { usageLine } from "./command-help-text.js";
import { NO_FLAGS, type CommandFlags, type FlagName } from "./extract-command-flags.js";
import { parseLockEnd } from "./parse-lock-end.js";
import type { ParseContext, ParseResult, Reply } from "./parse-result.js";
import { isValidRef, resolveCommandName, unknownNameMessage } from "./resolve-command-name.js";
import { suggestName } from "./suggest-name.js";
import { showWord, type CommandToken } from "./tokenize-command.js";

export type ArgumentVerb = Exclude<Verb, "help">;

interface Parsing {
  readonly verb: ArgumentVerb;
  readonly context: ParseContext;
  readonly flags: CommandFlags;
}

type Words = readonly CommandToken[];
interface Failed {
  readonly failed: Reply;
}
const isFailed = (value: object): value is Failed => "failed" in value;

const FLAGS_OF: Readonly<Record<ArgumentVerb, readonly FlagName[]>> = {
  deploy: ["force", "yes", "reason"],
  rollback: ["force", "yes", "reason"],
  diff: [],
  status: [],
  lock: ["reason"],
  unlock: ["force"],
  deploys: [],
  cancel: [],
  windows: [],
  approve: [],
  reject: ["reason"],
};

/** Deploy ids are what CodePipeline accepts as a clientRequestToken; a sha matches too. */
const ROLLBACK_TARGET = /^[A-Za-z0-9-]{1,128}$/;

function fail(p: Parsing, reasonCode: RefusalCode, message: string): Failed {
  return { failed: { type: "error", reasonCode, message: `${message}\nUsage: ${usageLine(p.verb, p.context.surface)}` } };
}

const isKeyword = (token: CommandToken | undefined, keyword: string): boolean =>
  token !== undefined && !token.quoted && token.text.toLowerCase() === keyword;

const isEnvironment = (p: Parsing, token: CommandToken): boolean => resolveCommandName(token.text, p.context.environments) !== undefined;

function rejectExtra(p: Parsing, rest: Words): Failed | undefined {
  const word = rest[0];
  if (!word) return undefined;
  return fail(p, "bad_command", `did not understand ${showWord(word.text)}`);
}

/**
 * GitHub may leave the service out: a first word that is a service names it; otherwise the
 * repository's one service applies. A word that looks like a mistyped service gets a suggestion.
 */
function defaultGithubService(p: Parsing, words: Words): { service: string; rest: Words } | Failed {
  const { services, environments } = p.context;
  const repoServices = p.context.repoServices ?? [];
  const first = words[0];
  const envLike = !first || isKeyword(first, "to") || isEnvironment(p, first) || suggestName(first.text, environments) !== undefined;
  if (first && !envLike && (repoServices.length !== 1 || suggestName(first.text, services))) {
    return fail(p, "unknown_service", unknownNameMessage("service", first.text, services));
  }
  if (repoServices.length === 1) return { service: repoServices[0]!, rest: words };
  const env = first && isEnvironment(p, first) ? first.text : (environments[0] ?? "<env>");
  if (repoServices.length > 1) {
    return fail(p, "bad_command", `this repository has several services: ${repoServices.join(", ")} — name one: /${p.verb} ${repoServices[0]} ${env}`);
  }
  return fail(p, "bad_command", `no service is configured for this repository — name one: /${p.verb} <service> ${env}`);
}

function takeService(p: Parsing, words: Words, allowAll: boolean): { service: string; rest: Words } | Failed {
  const first = words[0];
  if (first && allowAll && isKeyword(first, "all")) return { service: "all", rest: words.slice(1) };
  const named = first && resolveCommandName(first.text, p.context.services);
  if (named) return { service: named, rest: words.slice(1) };
  if (p.context.surface === "github") return defaultGithubService(p, words);
  if (!first) return fail(p, "bad_command", "missing the service and environment");
  if (isEnvironment(p, first)) return fail(p, "bad_command", `${showWord(first.text)} is an environment — name the service first`);
  if (isKeyword(first, "all")) return fail(p, "unknown_service", '"all" works only with lock and unlock');
  return fail(p, "unknown_service", unknownNameMessage("service", first.text, p.context.services));
}

function resolveEnvironment(p: Parsing, token: CommandToken, allowAll: boolean): string | Failed {
  if (allowAll && isKeyword(token, "all")) return "all";
  const env = resolveCommandName(token.text, p.context.environments);
  if (env) return env;
  if (isKeyword(token, "all")) return fail(p, "unknown_environment", '"all" works only with lock and unlock');
  return fail(p, "unknown_environment", unknownNameMessage("environment", token.text, p.context.environments));
}

interface Scope {
  readonly service: string;
  readonly env?: string;
  readonly rest: Words;
}

/** `<service> [to] <env>`: the pair every verb but deploys and windows starts with. */
function takeScope(p: Parsing, words: Words, options: { allowAll: boolean; envOptional: boolean }): Scope | Failed {
  const taken = takeService(p, words, options.allowAll);
  if (isFailed(taken)) return taken;
  let rest = taken.rest;
  if ((p.verb === "deploy" || p.verb === "diff") && isKeyword(rest[0], "to")) rest = rest.slice(1);
  const envWord = rest[0];
  if (!envWord || (options.envOptional && isKeyword(envWord, "to"))) {
    if (options.envOptional) return { service: taken.service, rest };
    return fail(p, "bad_command", `missing the environment${p.context.environments.length ? ` (${p.context.environments.join(", ")})` : ""}`);
  }
  const env = resolveEnvironment(p, envWord, options.allowAll);
  if (typeof env !== "string") return env;
  return { service: taken.service, env, rest: rest.slice(1) };
}

const reasonOf = (flags: CommandFlags) => (flags.reason === undefined ? {} : { reason: flags.reason });

/** `<service> [to] <env> [<ref>]`: what deploy and diff name. */
function takeRefScope(p: Parsing, words: Words): { service: string; env: string; ref?: string } | Failed {
  const scope = takeScope(p, words, { allowAll: false, envOptional: false });
  if (isFailed(scope)) return scope;
  const refWord = scope.rest[0];
  if (refWord && !isValidRef(refWord.text)) return fail(p, "bad_ref", `${showWord(refWord.text)} is not a valid branch, tag or sha`);
  const extra = rejectExtra(p, scope.rest.slice(1));
  if (extra) return extra;
  return { service: scope.service, env: scope.env!, ...(refWord ? { ref: refWord.text } : {}) };
}

function parseDeploy(p: Parsing, words: Words): Command | Failed {
  const scope = takeRefScope(p, words);
  if (isFailed(scope)) return scope;
  return { verb: "deploy", ...scope, force: p.flags.force, yes: p.flags.yes, ...reasonOf(p.flags) };
}

function parseDiff(p: Parsing, words: Words): Command | Failed {
  const scope = takeRefScope(p, words);
  return isFailed(scope) ? scope : { verb: "diff", ...scope };
}

/** `status <service>`: every environment of the service, so an environment named after it is a mistake worth explaining. */
function parseStatus(p: Parsing, words: Words): Command | Failed {
  if (!words[0] && p.context.surface !== "github") return fail(p, "bad_command", "missing the service");
  const taken = takeService(p, words, false);
  if (isFailed(taken)) return taken;
  const extra = taken.rest[0];
  if (extra && isEnvironment(p, extra)) return fail(p, "bad_command", `status shows every environment of ${taken.service}: leave out ${showWord(extra.text)}`);
  return rejectExtra(p, taken.rest) ?? { verb: "status", service: taken.service };
}

function parseRollback(p: Parsing, words: Words): Command | Failed {
  const scope = takeScope(p, words, { allowAll: false, envOptional: p.context.surface === "github" });
  if (isFailed(scope)) return scope;
  let rest = scope.rest;
  let target: string | undefined;
  if (isKeyword(rest[0], "to")) {
    const word = rest[1];
    if (!word) return fail(p, "bad_command", 'missing the deploy id or sha after "to"');
    if (!ROLLBACK_TARGET.test(word.text)) return fail(p, "bad_ref", `${showWord(word.text)} is not a deploy id or sha`);
    target = word.text;
    rest = rest.slice(2);
  }
  const extra = rejectExtra(p, rest);
  if (extra) return extra;
  return {
    verb: "rollback",
    service: scope.service,
    ...(scope.env === undefined ? {} : { env: scope.env }),
    ...(target === undefined ? {} : { target }),
    force: p.flags.force,
    yes: p.flags.yes,
    ...reasonOf(p.flags),
  };
}

function parseLock(p: Parsing, words: Words): Command | Failed {
  const scope = takeScope(p, words, { allowAll: true, envOptional: false });
  if (isFailed(scope)) return scope;
  const end = parseLockEnd(scope.rest, p.context);
  if (!end.ok) return fail(p, "bad_command", end.message);
  const freeText = end.rest.map((word) => word.text).join(" ").trim();
  if (freeText && p.flags.reason !== undefined) {
    return fail(p, "bad_command", 'give the reason once: --reason "…" or words at the end');
  }
  const reason = p.flags.reason ?? (freeText || undefined);
  return {
    verb: "lock",
    service: scope.service,
    env: scope.env!,
    ...(end.until === undefined ? {} : { until: end.until }),
    ...(reason === undefined ? {} : { reason }),
  };
}

function parseUnlockOrCancel(p: Parsing, words: Words): Command | Failed {
  const scope = takeScope(p, words, { allowAll: p.verb === "unlock", envOptional: false });
  if (isFailed(scope)) return scope;
  const extra = rejectExtra(p, scope.rest);
  if (extra) return extra;
  return p.verb === "unlock"
    ? { verb: "unlock", service: scope.service, env: scope.env!, force: p.flags.force }
    : { verb: "cancel", service: scope.service, env: scope.env! };
}

/** `deploys [<service>] [<env>]`: either may be left out, so each word is whichever it names. */
function parseDeploys(p: Parsing, words: Words): Command | Failed {
  const { services, environments } = p.context;
  let rest = words;
  const service = rest[0] && resolveCommandName(rest[0].text, services);
  if (service) rest = rest.slice(1);
  const env = rest[0] && resolveCommandName(rest[0].text, environments);
  if (env) rest = rest.slice(1);
  const word = rest[0];
  if (word && !env) {
    const meantEnv = service !== undefined || (suggestName(word.text, environments) && !suggestName(word.text, services));
    return meantEnv
      ? fail(p, "unknown_environment", unknownNameMessage("environment", word.text, environments))
      : fail(p, "unknown_service", unknownNameMessage("service", word.text, services));
  }
  const extra = rejectExtra(p, rest);
  if (extra) return extra;
  const repoServices = p.context.repoServices ?? [];
  const shown = service || (p.context.surface === "github" && repoServices.length === 1 ? repoServices[0] : undefined);
  return { verb: "deploys", ...(shown ? { service: shown } : {}), ...(env ? { env } : {}) };
}

function parseWindows(p: Parsing, words: Words): Command | Failed {
  const first = words[0];
  const env = first ? resolveEnvironment(p, first, false) : undefined;
  if (env !== undefined && typeof env !== "string") return env;
  const extra = rejectExtra(p, words.slice(1));
  if (extra) return extra;
  return { verb: "windows", ...(env === undefined ? {} : { env }) };
}

/** Deploy ids are CodePipeline client request tokens (docs/commands.md, A deploy's life). */
const DEPLOY_ID = /^[A-Za-z0-9-]{1,128}$/;

/** `approve <deploy-id>` and `reject <deploy-id> [--reason "…"]`: the deploy is named by its id alone. */
function parseApproval(p: Parsing, words: Words): Command | Failed {
  const word = words[0];
  if (!word) return fail(p, "bad_command", "missing the deploy id (it is on the deploy's card and in `deploys`)");
  if (!DEPLOY_ID.test(word.text)) return fail(p, "bad_command", `${showWord(word.text)} is not a deploy id (letters, digits and dashes)`);
  const extra = rejectExtra(p, words.slice(1));
  if (extra) return extra;
  return p.verb === "approve" ? { verb: "approve", id: word.text } : { verb: "reject", id: word.text, ...reasonOf(p.flags) };
}

const PARSERS: Readonly<Record<ArgumentVerb, (p: Parsing, words: Words) => Command | Failed>> = {
  deploy: parseDeploy,
  rollback: parseRollback,
  diff: parseDiff,
  status: parseStatus,
  lock: parseLock,
  unlock: parseUnlockOrCancel,
  deploys: parseDeploys,
  cancel: parseUnlockOrCancel,
  windows: parseWindows,
  approve: parseApproval,
  reject: parseApproval,
};

/** The words after the verb (flags already taken out) → the command, or an error that shows the verb's usage. */
export function parseVerbArguments(verb: ArgumentVerb, words: Words, flags: CommandFlags, context: ParseContext): ParseResult {
  const p: Parsing = { verb, context, flags };
  const misplaced = flags.given.find((flag) => !FLAGS_OF[verb].includes(flag));
  const parsed = misplaced ? fail(p, "bad_command", `--${misplaced} does not apply to ${verb}`) : PARSERS[verb](p, words);
  return isFailed(parsed) ? { kind: "reply", reply: parsed.failed } : { kind: "command", command: parsed };
}

/** Errors found before the arguments (a bad flag, an open quote) still show the verb's usage. */
export function usageError(verb: ArgumentVerb, context: ParseContext, message: string): ParseResult {
  return { kind: "reply", reply: fail({ verb, context, flags: NO_FLAGS }, "bad_command", message).failed };
}
