import { describeEntries, isAdmin } from "./access-list.js";
import { concurrencyPolicy } from "./concurrency-policy.js";
import { allow, deny, type Decision, type Deny, type TurnDecision, type Wait } from "./decision.js";
import { formatMoment } from "./format-moment.js";
import { lockPolicy } from "./lock-policy.js";
import { permissionPolicy } from "./permission-policy.js";
import type { PolicyInput } from "./policy-input.js";
import { promotionPolicy } from "./promotion-policy.js";
import { windowPolicy } from "./window-policy.js";

/** Refusals an admin's --force may pass (policy steps 3–5: lock, window, promotion), in policy order. */
const FORCEABLE = [lockPolicy, windowPolicy, promotionPolicy] as const;

/** A deploy or rollback someone asks for now (policy steps 2–6). */
export type RequestFacts = PolicyInput & { readonly moment?: "request" };

/**
 * A queued deploy whose turn has come: it already passed permission and the queue when it was
 * asked for, so only what can change while it waits is decided again — locks, windows, promotion.
 */
export interface TurnFacts extends Pick<PolicyInput, "now" | "config" | "target" | "action" | "locks" | "sha" | "shaSucceededInPromoteFrom"> {
  readonly moment: "turn";
  /** The requester's lock owner key, recorded with the deploy: their own lock does not stop it. */
  readonly ownerKey: string;
  /** An admin forced it past locks, windows and promotion when it was asked for. */
  readonly forced: boolean;
}

/**
 * The one place a deploy or rollback is decided against the policies (docs/commands.md, Policies);
 * step 1 (unknown names, bad refs, forks) happens before, confirmation after.
 *
 * When asked for (`moment` "request"): the first refusal wins. An admin's --force with a reason
 * passes steps 3–5 and lists what it passed in `forcedPast`, so the caller can announce it;
 * permission and busy are never forced.
 *
 * At a queued deploy's turn (`moment` "turn"): a forced deploy goes; a window makes it wait (the
 * window ends by itself); a lock someone took meanwhile, or a sha no longer promoted, drops it —
 * a lock is a person saying "stop", and starting hours later when it is lifted would surprise everyone.
 */
export function decide(facts: RequestFacts): Decision;
export function decide(facts: TurnFacts): TurnDecision;
export function decide(facts: RequestFacts | TurnFacts): TurnDecision {
  return facts.moment === "turn" ? decideTurn(facts) : decideRequest(facts);
}

function decideRequest(input: RequestFacts): Decision {
  if (input.automaticRollbackOf !== undefined) return decideAutomaticRollback(input);
  const verb = input.action === "rollback" ? "roll back" : "deploy";
  const permission = permissionPolicy(input, verb);
  if (!permission.allowed) return permission;

  const admin = isAdmin(input.actor, input.config, input.teams);
  const forceReason = input.forceReason?.trim();
  if (input.force && admin && !forceReason) {
    return deny("bad_command", `--force needs --reason "why": say why it must go out anyway, it is announced and audited.`);
  }
  const forcing = input.force && admin;

  const forcedPast: Deny[] = [];
  for (const policy of FORCEABLE) {
    const decision = policy(input);
    if (decision.allowed) continue;
    if (forcing) forcedPast.push(decision);
    else return input.force ? onlyAdminsMayForce(decision, input) : decision;
  }

  const concurrency = concurrencyPolicy(input);
  if (!concurrency.allowed) return concurrency;
  return allow(forcedPast);
}

function decideTurn(facts: TurnFacts): TurnDecision {
  if (facts.forced) return allow();
  const locked = lockPolicy(facts);
  if (!locked.allowed) return dropped(locked);
  const window = windowPolicy(facts);
  if (!window.allowed) return waiting(window, facts);
  const promoted = promotionPolicy(facts);
  if (!promoted.allowed) return dropped(promoted);
  return allow();
}

/**
 * Whistlestop's own rollback of a deploy that failed in or after its deploy stage. Nobody asks for
 * it, so there is no permission to check: whoever may edit the configuration turned it on. A lock
 * does not hold it back: the failed deploy was itself let through that lock, the site is broken
 * now, and a rollback to the release that was live before is the safer state to leave it in; the
 * rollback is announced, so the lock's owner hears of it. A deny window that forbids rollbacks
 * (allow_rollback: false) still does, as for anyone's rollback, and so does `concurrency: reject`.
 */
function decideAutomaticRollback(input: RequestFacts): Decision {
  if (input.action !== "rollback") return deny("bad_command", "only a rollback is started automatically");
  const window = windowPolicy(input);
  if (!window.allowed) return window;
  const concurrency = concurrencyPolicy(input);
  return concurrency.allowed ? allow() : concurrency;
}

const dropped = (refusal: Deny): Deny => ({ ...refusal, message: `dropped from the queue: ${refusal.message}` });

function waiting(refusal: Deny, facts: TurnFacts): Wait {
  const until = refusal.until ? ` until ${formatMoment(new Date(refusal.until), facts.config.timezone, facts.now)}` : "";
  const message = `waiting for a critical window to end${until}`;
  return refusal.until ? { allowed: false, wait: true, reasonCode: refusal.reasonCode, message, until: refusal.until } : { allowed: false, wait: true, reasonCode: refusal.reasonCode, message };
}

function onlyAdminsMayForce(refusal: Deny, input: PolicyInput): Deny {
  const admins = describeEntries(input.config.admins);
  return { ...refusal, message: `${refusal.message} (--force was ignored: only admins (${admins}) can force.)` };
}
