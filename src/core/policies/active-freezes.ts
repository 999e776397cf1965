import { deployOwnerKey } from "../model/actor.js";
import type { WhistlestopConfig } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import { ALL, lockCovers, type Lock } from "../model/lock.js";
import { allTargets } from "../model/resolve-target.js";
import { blockingLock, lockBinds } from "./lock-policy.js";
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

/** Whether any target asks for hard freezes (enforce_in_pipeline); when none does there is nothing to plan. */
export function hardFreezesEnabled(config: WhistlestopConfig): boolean {
  return allTargets(config).some((target) => target.enforceInPipeline);
}

/**
 * Hard freezes (enforce_in_pipeline, docs/aws.md): for every (service, env) with enforceInPipeline,
 * whether an open deny window or an active `all`-scoped lock covers it. Returned for unfrozen targets
 * too, so the caller can re-enable transitions when a freeze ends. Rollback allowances do not matter
 * here: the transition blocks every run — except while a deploy Whistlestop let through on purpose
 * runs there (`running`, see letThrough): then the transition stays open for it.
 */
export function activeFreezes(config: WhistlestopConfig, locks: readonly Lock[], now: Date, running: readonly Deploy[] = []): FreezeState[] {
  const sweeping = locks.filter((l) => (l.service === ALL || l.env === ALL) && lockBinds(l, now));
  const throughs = new Set(running.filter((d) => letThrough(config, d, sweeping, now)).map((d) => `${d.service}/${d.env}`));
  const states: FreezeState[] = [];
  for (const target of allTargets(config)) {
    if (!target.enforceInPipeline) continue;
    const { service, env } = target;
    const causes = [
      ...openDenyWindows(config, service, env, now).map((w) => `window "${w.name}"${w.reason ? ` (${w.reason})` : ""}`),
      ...sweeping.filter((l) => lockCovers(l, service, env)).map((l) => `lock ${l.service}/${l.env} by ${l.owner}${l.reason ? ` (${l.reason})` : ""}`),
    ];
    const frozen = causes.length > 0 && !throughs.has(`${service}/${env}`);
    states.push({
      service,
      env,
      pipeline: target.pipeline,
      deployStage: target.deployStage,
      frozen,
      ...(causes.length ? { reason: `Whistlestop freeze: ${causes.join("; ")}` } : {}),
    });
  }
  return states;
}

/**
 * Whether a running deploy passed every freeze on its target on purpose: forced by an admin, a
 * rollback (recovery must be able to finish), or deployed by the owner of every `all`-scoped lock
 * covering it while no deny window is open.
 */
function letThrough(config: WhistlestopConfig, deploy: Deploy, sweeping: readonly Lock[], now: Date): boolean {
  if (deploy.forced || deploy.rollbackOf !== undefined) return true;
  const { service, env } = deploy;
  if (openDenyWindows(config, service, env, now).length > 0) return false;
  return blockingLock(sweeping, service, env, deployOwnerKey(deploy), now) === undefined;
}

/**
 * When the freezes next change by themselves: the first deny window boundary (an open one's end, a
 * closed one's next start) or lock expiry after `now`; undefined when none is ahead.
 */
export function nextFreezeChange(config: WhistlestopConfig, locks: readonly Lock[], now: Date): Date | undefined {
  const times = locks.flatMap((l) => (l.expiresAt ? [Date.parse(l.expiresAt)] : [])).filter((t) => t > now.getTime());
  for (const window of config.windows) {
    if (window.kind !== "deny") continue;
    const open = window.schedule.openAt(now);
    const boundary = open ? open.end : window.schedule.nextAfter(now)?.start;
    if (boundary) times.push(boundary.getTime());
  }
  return times.length ? new Date(Math.min(...times)) : undefined;
}

const openDenyWindows = (config: WhistlestopConfig, service: string, env: string, now: Date) =>
  config.windows.filter((w) => w.kind === "deny" && windowCovers(w, service, env) && w.schedule.openAt(now) !== null);
