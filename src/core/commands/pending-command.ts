/**
 * A deploy or rollback that passed every policy and waits for someone to confirm it (a Slack
 * prompt's Confirm button). It names exactly what was decided — the sha, the release to go back
 * to — so confirming cannot deploy something other than what the question showed, even when the
 * branch moved or another release went live meanwhile.
 */
export type PendingCommand = PendingDeploy | PendingRollback;

export interface PendingDeploy {
  readonly verb: "deploy";
  readonly service: string;
  readonly env: string;
  /** The full sha the question named. */
  readonly sha: string;
  /** What was asked for (a branch, "live in staging"): recorded and shown, never resolved again. */
  readonly ref: string;
  readonly force: boolean;
  readonly reason?: string;
}

export interface PendingRollback {
  readonly verb: "rollback";
  readonly service: string;
  readonly env: string;
  /** The deploy id of the release to go back to. */
  readonly target: string;
  /** The deploy id of the release being rolled back: a confirmation after another went live is refused. */
  readonly of: string;
  readonly force: boolean;
  readonly reason?: string;
}

const SHA = /^[0-9a-f]{40}$/;
/** Service and environment names, deploy ids: what the configuration and the store accept. */
const NAME = /^[A-Za-z0-9._-]{1,128}$/;
/** Longer never fits on a Slack button (2,000 characters for the whole value). */
const MAX_TEXT = 2000;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isName = (value: unknown): value is string => typeof value === "string" && NAME.test(value);
const isText = (value: unknown): value is string => typeof value === "string" && value.length <= MAX_TEXT;

/**
 * A pending command read back from where a surface kept it (a button's value): undefined unless
 * every field has its type and shape, so a mangled or forged value runs nothing. What it names is
 * still decided against the policies when it is confirmed.
 */
export function readPendingCommand(raw: unknown): PendingCommand | undefined {
  if (!isObject(raw) || !isName(raw.service) || !isName(raw.env) || typeof raw.force !== "boolean") return undefined;
  if (raw.reason !== undefined && !isText(raw.reason)) return undefined;
  const common = { service: raw.service, env: raw.env, force: raw.force, ...(raw.reason !== undefined ? { reason: raw.reason } : {}) };
  if (raw.verb === "deploy") {
    if (typeof raw.sha !== "string" || !SHA.test(raw.sha) || !isText(raw.ref)) return undefined;
    return { verb: "deploy", ...common, sha: raw.sha, ref: raw.ref };
  }
  if (raw.verb === "rollback") {
    if (!isName(raw.target) || !isName(raw.of)) return undefined;
    return { verb: "rollback", ...common, target: raw.target, of: raw.of };
  }
  return undefined;
}
