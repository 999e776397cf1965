import { actorOfDeploy } from "../model/actor.js";
import type { WhistlestopConfig } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import { resolveTarget } from "../model/resolve-target.js";
import type { Clock } from "../ports/clock.js";
import type { StoreReader } from "../ports/store.js";
import { formatMoment } from "../policies/format-moment.js";
import { lockPolicy } from "../policies/lock-policy.js";
import { promotionPolicy } from "../policies/promotion-policy.js";
import { windowPolicy } from "../policies/window-policy.js";
import type { GateVerdict, QueueGate } from "./queue-gate.js";

/**
 * Re-checks a queued deploy when its turn comes. A window makes it wait (it will end);
 * a lock someone took meanwhile drops it — a lock is a person saying "stop", and starting hours
 * later when it is lifted would surprise everyone; a forced deploy already passed both.
 */
export class PolicyQueueGate implements QueueGate {
  constructor(
    private readonly config: WhistlestopConfig,
    private readonly store: Pick<StoreReader, "listLocks" | "hasSucceeded">,
    private readonly clock: Clock,
  ) {}

  async check(head: Deploy): Promise<GateVerdict> {
    const target = resolveTarget(this.config, head.service, head.env);
    if (!target) return { kind: "drop", reason: `${head.service}/${head.env} is no longer in whistlestop.yml` };
    if (head.forced) return { kind: "go" };
    const now = this.clock.now();
    const actor = actorOfDeploy(head);
    const action = head.rollbackOf ? "rollback" : "deploy";
    const locks = await this.store.listLocks(now);
    const locked = lockPolicy({ now, config: this.config, target, actor, locks });
    if (!locked.allowed) return { kind: "drop", reason: `dropped from the queue: ${locked.message}` };
    const window = windowPolicy({ now, config: this.config, target, action });
    if (!window.allowed) {
      const until = window.until ? ` until ${formatMoment(new Date(window.until), this.config.timezone, now)}` : "";
      return { kind: "wait", reason: `waiting for a critical window to end${until}`, ...(window.until ? { until: window.until } : {}) };
    }
    if (target.promoteFrom && action === "deploy") {
      const promoted = await this.store.hasSucceeded(target.service, target.promoteFrom, head.sha);
      const decision = promotionPolicy({ target, action, sha: head.sha, shaSucceededInPromoteFrom: promoted });
      if (!decision.allowed) return { kind: "drop", reason: `dropped from the queue: ${decision.message}` };
    }
    return { kind: "go" };
  }
}
