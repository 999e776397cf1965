import { SYSTEM_ACTOR } from "../model/audit.js";
import type { Deploy } from "../model/deploy.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { Store } from "../ports/store.js";
import type { ReasonCode } from "../policies/decision.js";

export interface SystemAuditDeps {
  readonly store: Pick<Store, "appendAudit">;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Whistlestop's own decisions about a deploy (dropped when its turn came, superseded by a newer
 * merge, an approval request that expired) go in the audit log like anyone's. The change is already
 * made: a failed write is logged, not retried, so the queue moves on.
 */
export function auditSystemDecision(deps: SystemAuditDeps, deploy: Deploy, action: string, outcome: string, message: string, reasonCode: ReasonCode): Promise<void> {
  return appendSystemAudit(deps, deploy, action, outcome, `${deploy.actor}'s deploy of ${deploy.sha.slice(0, 7)} ${outcome}: ${message}`, reasonCode);
}

/** One audit entry by Whistlestop itself (actor and surface `whistlestop`) about `deploy`; never rejects. */
export async function appendSystemAudit(deps: SystemAuditDeps, deploy: Deploy, action: string, outcome: string, message: string, reasonCode?: ReasonCode): Promise<void> {
  try {
    await deps.store.appendAudit({
      at: deps.clock.now().toISOString(),
      actor: SYSTEM_ACTOR,
      actorKey: SYSTEM_ACTOR,
      surface: SYSTEM_ACTOR,
      action,
      service: deploy.service,
      env: deploy.env,
      deployId: deploy.id,
      outcome,
      ...(reasonCode ? { reasonCode } : {}),
      message: message.slice(0, 2000),
    });
  } catch (error) {
    deps.logger.error({ err: error, deployId: deploy.id, action }, "could not write an audit entry");
  }
}
