import { VERBS, type Verb } from "../../core/commands/command.js";
import { readPendingCommand, type PendingCommand } from "../../core/commands/pending-command.js";

/** Block Kit action ids of Whistlestop's buttons; the interactivity listener routes on them. */
export const ACTION = {
  confirm: "whistlestop_confirm",
  dismiss: "whistlestop_dismiss",
  cancelDeploy: "whistlestop_cancel_deploy",
  rollback: "whistlestop_rollback",
  approve: "whistlestop_approve",
  reject: "whistlestop_reject",
  lockUnlock: "whistlestop_lock_unlock",
  lockExtend: "whistlestop_lock_extend",
} as const;

export type ActionId = (typeof ACTION)[keyof typeof ACTION];

/** What a Confirm/Cancel prompt carries from the command to the click (Slack keeps up to 2,000 characters). */
export interface ConfirmValue {
  /** What Confirm goes ahead with: the command exactly as it was decided (the core's pending command). */
  readonly pending: PendingCommand;
  /** One prompt, one decision: the first click wins, the deploy's idempotency key derives from it. */
  readonly nonce: string;
  /** A key shared by every prompt for the same thing (the Roll back button of one card). */
  readonly key?: string;
  /** When the prompt was shown (ms since the epoch): it expires a while later. Absent on prompts from before prompts expired. */
  readonly askedAt?: number;
}

/**
 * A prompt posted before pending commands were kept carries the command text and its verb; its
 * Confirm runs that text again with --yes, as it did then. Such prompts age out with their messages.
 */
export interface LegacyConfirmValue {
  readonly verb: Verb;
  readonly text: string;
  readonly nonce: string;
  readonly key?: string;
}

export function encodeConfirmValue(value: ConfirmValue): string {
  return JSON.stringify({ p: value.pending, n: value.nonce, ...(value.key ? { k: value.key } : {}), ...(value.askedAt !== undefined ? { a: value.askedAt } : {}) });
}

/** A prompt's value as the click brings it back; undefined when anything in it is not what Whistlestop wrote. */
export function decodeConfirmValue(raw: unknown): ConfirmValue | LegacyConfirmValue | undefined {
  if (typeof raw !== "string") return undefined;
  let parsed: { p?: unknown; v?: unknown; t?: unknown; n?: unknown; k?: unknown; a?: unknown };
  try {
    parsed = JSON.parse(raw) as typeof parsed;
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || typeof parsed.n !== "string") return undefined;
  const common = { nonce: parsed.n, ...(typeof parsed.k === "string" ? { key: parsed.k } : {}) };
  if (parsed.p !== undefined) {
    const pending = readPendingCommand(parsed.p);
    const askedAt = typeof parsed.a === "number" && Number.isSafeInteger(parsed.a) ? { askedAt: parsed.a } : {};
    return pending ? { pending, ...common, ...askedAt } : undefined;
  }
  const verb = VERBS.find((v) => v === parsed.v);
  if (!verb || typeof parsed.t !== "string") return undefined;
  return { verb, text: parsed.t, ...common };
}

/** The only commands a lock reminder's buttons run: unlock, or lock for 2h / until a time, of one scope. */
const LOCK_REMINDER_COMMAND = /^(?:unlock [A-Za-z0-9._-]{1,128} [A-Za-z0-9._-]{1,128}|lock [A-Za-z0-9._-]{1,128} [A-Za-z0-9._-]{1,128} (?:for 2h|until \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z))$/;

/** A lock reminder button carries the command it runs, as it would be typed. */
export function encodeLockReminderValue(command: string): string {
  return JSON.stringify({ c: command });
}

/** The command of a lock reminder button; undefined for anything Whistlestop's reminders never carry. */
export function decodeLockReminderValue(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  try {
    const parsed = JSON.parse(raw) as { c?: unknown };
    return typeof parsed === "object" && parsed !== null && typeof parsed.c === "string" && LOCK_REMINDER_COMMAND.test(parsed.c) ? parsed.c : undefined;
  } catch {
    return undefined;
  }
}
