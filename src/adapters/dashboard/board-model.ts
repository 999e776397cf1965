import { toLiveReleaseView } from "../../core/commands/live-release-view.js";
import type { LiveReleaseView } from "../../core/commands/command-result.js";
import type { Target, WindowConfig } from "../../core/model/config.js";
import type { Deploy, DeployState } from "../../core/model/deploy.js";
import { lockActive, lockCovers, type Lock } from "../../core/model/lock.js";
import { resolveTarget } from "../../core/model/resolve-target.js";
import { windowCovers } from "../../core/policies/window-covers.js";
import { windowPolicy } from "../../core/policies/window-policy.js";
import type { DashboardDeps } from "./page.js";

/** Deploys that are not over yet: what runs or verifies its alarms, waits its turn, or waits for approvers. */
export const ACTIVE_STATES: readonly DeployState[] = ["running", "verifying", "queued", "awaiting_approval"];
/** More active deploys than a board could show; the read stops here. */
const MAX_ACTIVE = 2000;

/** One (service, env) of the board. */
export interface BoardCell {
  readonly target: Target;
  readonly live?: LiveReleaseView;
  readonly running?: Deploy;
  /** The deploy watching its alarms after its pipeline succeeded; it still holds the target. */
  readonly verifying?: Deploy;
  readonly queued: readonly Deploy[];
  readonly awaitingApproval: readonly Deploy[];
  readonly lock?: Lock;
  /** Windows open now that cover this target. */
  readonly openWindows: readonly { readonly window: WindowConfig; readonly end: Date }[];
  /** Why deploys here are held by a window right now, if they are. */
  readonly closedBy?: string;
}

export interface Board {
  readonly services: readonly string[];
  readonly environments: readonly string[];
  /** By `service/env`; a pair the configuration does not deploy has none. */
  readonly cells: ReadonlyMap<string, BoardCell>;
  readonly locks: readonly Lock[];
}

export const cellKey = (service: string, env: string): string => `${service}/${env}`;

/**
 * Everything the board shows, in few reads: the active deploys and the locks once, the live
 * release of every target in one read (the newest succeeded deploy, as `status` and `diff` see it), windows from the configuration.
 */
export async function readBoard(deps: Pick<DashboardDeps, "config" | "store">, now: Date): Promise<Board> {
  const { config, store } = deps;
  const services = Object.keys(config.services);
  const environments = Object.keys(config.environments);
  const targets = services.flatMap((service) => environments.map((env) => resolveTarget(config, service, env)).filter((t): t is Target => t !== undefined));
  const [active, locks, lives] = await Promise.all([
    store.listDeploys({ states: ACTIVE_STATES, limit: MAX_ACTIVE }),
    store.listLocks(now),
    store.latestSucceeded(targets),
  ]);
  const liveByTarget = new Map(lives.map((d) => [cellKey(d.service, d.env), d]));
  const byTarget = new Map<string, Deploy[]>();
  for (const deploy of active) {
    const key = cellKey(deploy.service, deploy.env);
    byTarget.set(key, [...(byTarget.get(key) ?? []), deploy]);
  }
  const cells = new Map<string, BoardCell>();
  targets.forEach((target) => {
    const key = cellKey(target.service, target.env);
    const mine = (byTarget.get(key) ?? []).sort((a, b) => a.seq - b.seq);
    const live = liveByTarget.get(key);
    const lock = locks.find((l) => lockActive(l, now) && lockCovers(l, target.service, target.env));
    const running = mine.find((d) => d.state === "running");
    const verifying = mine.find((d) => d.state === "verifying");
    const closed = windowPolicy({ now, config, target, action: "deploy" });
    cells.set(key, {
      target,
      ...(live ? { live: toLiveReleaseView(live) } : {}),
      ...(running ? { running } : {}),
      ...(verifying ? { verifying } : {}),
      queued: mine.filter((d) => d.state === "queued"),
      awaitingApproval: mine.filter((d) => d.state === "awaiting_approval"),
      ...(lock ? { lock } : {}),
      openWindows: config.windows.flatMap((window) => {
        const open = windowCovers(window, target.service, target.env) ? window.schedule.openAt(now) : null;
        return open ? [{ window, end: open.end }] : [];
      }),
      ...(closed.allowed ? {} : { closedBy: closed.message }),
    });
  });
  return { services, environments, cells, locks };
}

/** How far a running deploy is: stages done of stages planned, and the one running now. */
export function progressOf(deploy: Deploy): { done: number; total: number; stage?: string } {
  const total = deploy.stages.length;
  const done = deploy.stages.filter((s) => s.status === "succeeded" || s.status === "skipped").length;
  const stage = deploy.stages.find((s) => s.status === "running")?.name;
  return { done, total, ...(stage ? { stage } : {}) };
}
