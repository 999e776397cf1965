import { parseDuration } from "../core/time/duration.js";

export const ACTION_COMMANDS = ["deploy", "rollback", "lock", "unlock", "check", "cancel", "approve", "reject", "diff", "status"] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];
/** Commands that name a deploy by its id rather than a service and an environment. */
const NAMES_A_DEPLOY: ReadonlySet<ActionCommand> = new Set(["approve", "reject"]);

export interface ActionInputs {
  readonly command: ActionCommand;
  /** Blank for approve and reject, which name a deploy instead. */
  readonly service: string;
  /** Blank for `status`, which shows every environment. */
  readonly environment: string;
  /** approve and reject: the deploy they answer. */
  readonly deployId?: string;
  /** What the user typed; the default (github.sha) is applied where the command takes a ref. */
  readonly ref?: string;
  readonly reason?: string;
  /** Without a trailing slash. */
  readonly serverUrl: string;
  readonly token: string;
  readonly wait: boolean;
  readonly timeoutMs: number;
}

export type InputsResult = { readonly ok: true; readonly inputs: ActionInputs } | { readonly ok: false; readonly message: string };

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_TIMEOUT_MS = 60 * 60_000;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;
const DEPLOY_ID = /^[A-Za-z0-9-]{1,128}$/;
// Anything git accepts in a ref, minus what would read as another word or a flag of the command.
const REF = /^[^\s\-"'“”‘’][^\s"'“”‘’]{0,254}$/;
const TRUE = ["true", "True", "TRUE"];
const FALSE = ["false", "False", "FALSE"];

/**
 * An input as the runner passes it: `INPUT_<NAME>`, upper-cased, spaces turned into `_`, hyphens
 * kept (`server-url` → `INPUT_SERVER-URL`). Blank means not given.
 */
export function readInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

/** YAML 1.2 core booleans, as the runner's own boolean inputs accept them; blank → `fallback`. */
export function parseBooleanInput(name: string, raw: string, fallback: boolean): boolean | string {
  if (raw === "") return fallback;
  if (TRUE.includes(raw)) return true;
  if (FALSE.includes(raw)) return false;
  return `Input "${name}" must be true or false (got "${raw}").`;
}

/** `30m`, `1h30m`, `90s`, or a bare number of minutes (like `timeout-minutes`). */
export function parseTimeoutInput(raw: string): number | string {
  if (raw === "") return DEFAULT_TIMEOUT_MS;
  const ms = /^\d+$/.test(raw) ? Number(raw) * 60_000 : parseDuration(raw);
  if (ms === undefined || ms <= 0 || !Number.isSafeInteger(ms)) {
    return `Input "timeout" must be a duration like 30m, 1h or 1h30m, or a number of minutes (got "${raw}").`;
  }
  return ms;
}

/** http(s) only, no query or fragment, no trailing slash. */
export function parseServerUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password) return undefined;
  url.search = "";
  url.hash = "";
  return url.href.replace(/\/+$/, "");
}

/** Every input checked up front, so a typo fails the step before anything is sent. */
export function readActionInputs(env: Env): InputsResult {
  const problems: string[] = [];
  const get = (name: string) => readInput(env, name);
  const required = (name: string): string => {
    const value = get(name);
    if (value === "") problems.push(`Input "${name}" is required.`);
    return value;
  };

  const commandRaw = get("command").toLowerCase() || "deploy";
  const command = ACTION_COMMANDS.find((c) => c === commandRaw);
  if (!command) problems.push(`Input "command" must be one of ${ACTION_COMMANDS.join(", ")} (got "${commandRaw}").`);

  const namesDeploy = command !== undefined && NAMES_A_DEPLOY.has(command);
  // `status` shows every environment of the service: an environment would be silently ignored, so it is refused.
  const environment = namesDeploy || command === "status" ? get("environment") : required("environment");
  if (command === "status" && environment !== "") problems.push(`Input "environment" does not apply to status, which shows every environment; leave it out (got "${environment}").`);
  const names: Record<"service" | "environment", string> = { service: namesDeploy ? get("service") : required("service"), environment };
  const deployId = namesDeploy ? required("deploy-id") : get("deploy-id");
  if (deployId !== "" && !DEPLOY_ID.test(deployId)) problems.push(`Input "deploy-id" must be a deploy id: letters, digits and dashes (got "${deployId}").`);
  if (deployId !== "" && !namesDeploy && command) problems.push(`Input "deploy-id" applies to approve and reject only, not ${command}.`);
  for (const [name, value] of Object.entries(names)) {
    if (value !== "" && !NAME.test(value)) problems.push(`Input "${name}" must be a name from whistlestop.yml: letters, digits, ".", "_" and "-" (got "${value}").`);
  }

  const ref = get("ref");
  if (ref !== "" && !REF.test(ref)) problems.push(`Input "ref" must be a branch, tag or commit sha without spaces or quotes, not starting with "-" (got "${ref}").`);

  const reason = get("reason").replace(/\s+/g, " ");

  const serverRaw = required("server-url");
  const serverUrl = serverRaw ? parseServerUrl(serverRaw) : undefined;
  if (serverRaw && !serverUrl) problems.push(`Input "server-url" must be the http(s) URL of the Whistlestop server, e.g. https://whistlestop.example.org (got "${serverRaw}").`);

  const token = required("token");
  if (/\s/.test(token)) problems.push(`Input "token" must not contain spaces: pass just the token, e.g. \${{ secrets.WHISTLESTOP_TOKEN }}.`);

  const wait = parseBooleanInput("wait", get("wait"), true);
  if (typeof wait === "string") problems.push(wait);
  const timeoutMs = parseTimeoutInput(get("timeout"));
  if (typeof timeoutMs === "string") problems.push(timeoutMs);

  if (problems.length > 0 || !command || !serverUrl || typeof wait === "string" || typeof timeoutMs === "string") {
    return { ok: false, message: problems.join(" ") };
  }
  return {
    ok: true,
    inputs: {
      command,
      service: names.service,
      environment: names.environment,
      ...(ref ? { ref } : {}),
      ...(deployId ? { deployId } : {}),
      ...(reason ? { reason } : {}),
      serverUrl,
      token,
      wait,
      timeoutMs,
    },
  };
}
