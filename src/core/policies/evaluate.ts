import { describeEntries, isAdmin } from "./access-list.js";
import { concurrencyPolicy } from "./concurrency-policy.js";
import { allow, deny, type Decision, type Deny } from "./decision.js";
import { lockPolicy } from "./lock-policy.js";
import { permissionPolicy } from "./permission-policy.js";
import type { PolicyInput } from "./policy-input.js";
import { promotionPolicy } from "./promotion-policy.js";
import { windowPolicy } from "./window-policy.js";

/** Refusals an admin's --force may pass (policy steps 3–5: lock, window, promotion), in policy order. */
const FORCEABLE = [lockPolicy, windowPolicy, promotionPolicy] as const;

/**
 * Policy steps 2–6 (docs/commands.md, Policies) for a deploy or rollback; step 1 (unknown names, bad refs) happens before.
 * The first refusal wins. An admin's --force with a reason passes steps 3–5 and lists what it
 * passed in `forcedPast`, so the caller can announce it; permission and busy are never forced.
 */
export function evaluate(input: PolicyInput): Decision {
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

function onlyAdminsMayForce(refusal: Deny, input: PolicyInput): Deny {
  const admins = describeEntries(input.config.admins);
  return { ...refusal, message: `${refusal.message} (--force was ignored: only admins (${admins}) can force.)` };
}
