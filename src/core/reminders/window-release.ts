import type { WhistlestopConfig } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import { resolveTarget } from "../model/resolve-target.js";
import type { Logger } from "../ports/logger.js";
import type { StoreReader } from "../ports/store.js";
import { windowCovers } from "../policies/window-covers.js";
import { windowPolicy } from "../policies/window-policy.js";
import type { WindowMoment } from "./window-moments.js";

export interface WindowReleaseDeps {
  readonly config: WhistlestopConfig;
  readonly store: Pick<StoreReader, "listQueuedTargets" | "listQueue" | "listRunning">;
  /** Starts the head of a (service, env) queue when nothing runs there and the policies pass (the orchestrator's advance). */
  readonly queues: { advance(service: string, env: string): Promise<void> };
  readonly logger: Logger;
}

const byRequest = (a: Deploy, b: Deploy): number => a.requestedAt.localeCompare(b.requestedAt);

/**
 * The deploys a window's end (or an allow window's start) releases, in the order they start: those
 * asked for before that moment, in the (service, env) pairs it covers that no other window still
 * holds, queued now or started since that moment. Counting the ones started since keeps the list
 * the same whichever replica reads it, before or after another replica started them.
 */
export async function releasedDeploys(deps: Pick<WindowReleaseDeps, "config" | "store">, moment: WindowMoment, now: Date): Promise<Deploy[]> {
  const { config, store } = deps;
  const at = moment.at.toISOString();
  const released = (d: Deploy): boolean => {
    if (!windowCovers(moment.window, d.service, d.env) || d.requestedAt >= at) return false;
    const target = resolveTarget(config, d.service, d.env);
    return target !== undefined && windowPolicy({ now, config, target, action: d.rollbackOf ? "rollback" : "deploy" }).allowed;
  };
  const [targets, running] = await Promise.all([store.listQueuedTargets(), store.listRunning()]);
  const queued = await Promise.all(targets.filter((t) => windowCovers(moment.window, t.service, t.env)).map((t) => store.listQueue(t.service, t.env)));
  const started = running.filter((d) => d.startedAt !== undefined && d.startedAt >= at && released(d));
  return [...started.sort(byRequest), ...queued.flat().filter(released).sort(byRequest)];
}

/**
 * Start what the moment releases now rather than at the next sweep: each covered queue's head, the
 * oldest request first. Every replica may do this at once; the store lets one of them take each
 * running slot, and the rest of each queue follows in order as each deploy ends.
 */
export async function releaseQueues(deps: WindowReleaseDeps, moment: WindowMoment): Promise<void> {
  const targets = (await deps.store.listQueuedTargets()).filter((t) => windowCovers(moment.window, t.service, t.env));
  const heads = await Promise.all(targets.map(async (t) => ({ ...t, head: (await deps.store.listQueue(t.service, t.env, 1))[0] })));
  heads.sort((a, b) => (a.head && b.head ? byRequest(a.head, b.head) : 0));
  for (const { service, env } of heads) {
    try {
      await deps.queues.advance(service, env);
    } catch (error) {
      deps.logger.warn({ err: error, service, env, window: moment.window.name }, "could not start a deploy a window released; the next sweep tries again");
    }
  }
}
