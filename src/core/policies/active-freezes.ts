import type { WhistlestopConfig } from "../model/config.js";
import { ALL, lockCovers, type Lock } from "../model/lock.js";
import { allTargets } from "../model/resolve-target.js";
import { lockBinds } from "./lock-policy.js";
import { windowCovers } from "./window-covers.js";

/** Whether one `enforce_in_pipeline` pipeline should have its deploy stage's inbound transition disabled. */
export interface FreezeState {
  readonly service: string;
  readonly env: string;
  readonly pipeline: string;
  readonly deployStage: string;
  readonly frozen: boolean;
  /**
   * Names the windows and locks causing the freeze, e.g. `Whistlestop freeze: window "Election night"
   * (Results night traffic); lock all/prod by alice`. Plain text: the adapter must still reduce it to
   * the characters CodePipeline accepts.
   */
  readonly reason?: string;
}

/**
 * Hard freezes (enforce_in_pipeline): for every (service, env) with enforceInPipeline, whether an open deny window
 * or an active `all`-scoped lock covers it. Returned for unfrozen targets too, so the caller can
 * re-enable transitions when a freeze ends. Rollback allowances do not matter here: the transition
 * blocks every run.
 */
export function activeFreezes(config: WhistlestopConfig, locks: readonly Lock[], now: Date): FreezeState[] {
  const sweeping = locks.filter((l) => (l.service === ALL || l.env === ALL) && lockBinds(l, now));
  const states: FreezeState[] = [];
  for (const target of allTargets(config)) {
    if (!target.enforceInPipeline) continue;
    const { service, env } = target;
    const causes = [
      ...config.windows
        .filter((w) => w.kind === "deny" && windowCovers(w, service, env) && w.schedule.openAt(now) !== null)
        .map((w) => `window "${w.name}"${w.reason ? ` (${w.reason})` : ""}`),
      ...sweeping.filter((l) => lockCovers(l, service, env)).map((l) => `lock ${l.service}/${l.env} by ${l.owner}${l.reason ? ` (${l.reason})` : ""}`),
    ];
    states.push({
      service,
      env,
      pipeline: target.pipeline,
      deployStage: target.deployStage,
      frozen: causes.length > 0,
      ...(causes.length ? { reason: `Whistlestop freeze: ${causes.join("; ")}` } : {}),
    });
  }
  return states;
}
