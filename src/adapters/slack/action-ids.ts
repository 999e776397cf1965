/** Block Kit action ids of Whistlestop's buttons; the interactivity listener routes on them. */
export const ACTION = {
  confirm: "whistlestop_confirm",
  dismiss: "whistlestop_dismiss",
  cancelDeploy: "whistlestop_cancel_deploy",
  rollback: "whistlestop_rollback",
} as const;

export type ActionId = (typeof ACTION)[keyof typeof ACTION];

/** What a Confirm/Cancel prompt carries from the command to the click (Slack keeps up to 2,000 characters). */
export interface ConfirmValue {
  /** The verb the slash command implied (`/rollback …` → rollback). */
  readonly verb: string;
  /** The command text as typed, without --yes. */
  readonly text: string;
  /** One prompt, one decision: the first click wins, the deploy's idempotency key derives from it. */
  readonly nonce: string;
  /** A key shared by every prompt for the same thing (the Roll back button of one card). */
  readonly key?: string;
}

export function encodeConfirmValue(value: ConfirmValue): string {
  return JSON.stringify({ v: value.verb, t: value.text, n: value.nonce, ...(value.key ? { k: value.key } : {}) });
}

export function decodeConfirmValue(raw: unknown): ConfirmValue | undefined {
  if (typeof raw !== "string") return undefined;
  try {
    const parsed = JSON.parse(raw) as { v?: unknown; t?: unknown; n?: unknown; k?: unknown };
    if (typeof parsed.v !== "string" || typeof parsed.t !== "string" || typeof parsed.n !== "string") return undefined;
    return { verb: parsed.v, text: parsed.t, nonce: parsed.n, ...(typeof parsed.k === "string" ? { key: parsed.k } : {}) };
  } catch {
    return undefined;
  }
}
