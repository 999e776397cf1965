import { allow, deny, type Decision } from "./decision.js";
import type { PolicyInput } from "./policy-input.js";

export type PromotionFacts = Pick<PolicyInput, "target" | "action" | "sha" | "shaSucceededInPromoteFrom">;

/**
 * Policy step 5 (`not_promoted`, docs/commands.md, Policies): with `promote_from`, only a sha that succeeded there may go on (bake once,
 * promote the same image). Rollbacks return to something that already ran here, so they skip it.
 * An unknown answer is refused: letting an untested sha through is the worse mistake.
 */
export function promotionPolicy(facts: PromotionFacts): Decision {
  const { target, sha } = facts;
  if (!target.promoteFrom || facts.action === "rollback" || facts.shaSucceededInPromoteFrom === true) return allow();
  const short = sha.slice(0, 7);
  const from = target.promoteFrom;
  const what =
    facts.shaSucceededInPromoteFrom === false
      ? `${short} was never deployed successfully to ${from}`
      : `Whistlestop could not confirm that ${short} was deployed successfully to ${from}`;
  return deny(
    "not_promoted",
    `${what}, and ${target.env} only takes what succeeded there. Deploy it to ${from} first ` +
      `(\`deploy ${target.service} ${from} ${short}\`), or, if you are an admin, add --force --reason "…".`,
  );
}
