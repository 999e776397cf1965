import { deployOwnerKey } from "../model/actor.js";
import type { WhistlestopConfig } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import { resolveTarget } from "../model/resolve-target.js";
import type { Clock } from "../ports/clock.js";
import type { StoreReader } from "../ports/store.js";
import { decide } from "../policies/decide.js";
import type { GateVerdict, QueueGate } from "./queue-gate.js";

/**
 * Re-checks a queued deploy when its turn comes: reads what may have changed while it waited and
 * asks `decide` (the turn rules are there). A forced deploy reads nothing: it already passed.
 */
export class PolicyQueueGate implements QueueGate {
  constructor(
    private readonly config: WhistlestopConfig,
    private readonly store: Pick<StoreReader, "listLocks" | "hasSucceeded">,
    private readonly clock: Clock,
  ) {}

  async check(head: Deploy): Promise<GateVerdict> {
    const target = resolveTarget(this.config, head.service, head.env);
    if (!target) {
      const reasonCode = this.config.services[head.service] ? "unknown_environment" : "unknown_service";
      return { kind: "drop", reasonCode, reason: `${head.service}/${head.env} is no longer in whistlestop.yml` };
    }
    if (head.forced) return { kind: "go" };
    const now = this.clock.now();
    const action = head.rollbackOf ? "rollback" : "deploy";
    const [locks, promoted] = await Promise.all([
      this.store.listLocks(now),
      target.promoteFrom && action === "deploy" ? this.store.hasSucceeded(target.service, target.promoteFrom, head.sha) : Promise.resolve(undefined),
    ]);
    const decision = decide({
      moment: "turn",
      now,
      config: this.config,
      target,
      action,
      locks,
      sha: head.sha,
      ...(promoted !== undefined ? { shaSucceededInPromoteFrom: promoted } : {}),
      ownerKey: deployOwnerKey(head),
      forced: head.forced,
    });
    if (decision.allowed) return { kind: "go" };
    if (decision.wait) return { kind: "wait", reasonCode: decision.reasonCode, reason: decision.message, ...(decision.until ? { until: decision.until } : {}) };
    return { kind: "drop", reasonCode: decision.reasonCode, reason: decision.message };
  }
}
