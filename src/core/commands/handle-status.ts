import { liveRelease } from "../changes/change-set-request.js";
import type { Target } from "../model/config.js";
import type { Deploy, DeployState } from "../model/deploy.js";
import { lockActive, lockCovers, type Lock } from "../model/lock.js";
import { resolveTarget } from "../model/resolve-target.js";
import { clientScopePolicy } from "../policies/client-scope-policy.js";
import { formatMoment } from "../policies/format-moment.js";
import { windowCovers } from "../policies/window-covers.js";
import { windowPolicy } from "../policies/window-policy.js";
import type { StatusCommand } from "./command.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult, EnvironmentStatusView, WindowView } from "./command-result.js";
import { shortSha } from "./deploy-view.js";
import { describeLiveRelease, toLiveReleaseView } from "./live-release-view.js";
import type { RequestContext } from "./request-context.js";
import { done, refused } from "./results.js";

/** The state of a deploy that waits for its approvals (environments with `approvals`). */
export const AWAITING_APPROVAL_STATES: readonly DeployState[] = ["awaiting_approval"];
/** More deploys awaiting approval than anyone could review; the count stops here. */
const MAX_COUNTED = 1000;

/**
 * `status <service>`: for each environment the caller may see (an API client: those in its scope),
 * the live release with its PR, who deployed it and when; the running deploy and its stage; how many
 * are queued, held by a window or awaiting approval; the lock; the windows open now. Reads only.
 */
export async function handleStatus(deps: CommandDeps, command: StatusCommand, context: RequestContext): Promise<CommandResult> {
  const { config, clock } = deps;
  const now = clock.now();
  const targets = Object.keys(config.environments)
    .map((env) => resolveTarget(config, command.service, env))
    .filter((target): target is Target => target !== undefined);
  if (targets.length === 0) return refused("unknown_service", `Unknown service: ${command.service}.`);
  const scoped = targets.map((target) => ({ target, scope: clientScopePolicy(config, context.actor, { verb: "status", service: target.service, env: target.env }) }));
  const visible = scoped.filter((s) => s.scope.allowed).map((s) => s.target);
  const hidden = scoped.find((s) => !s.scope.allowed)?.scope;
  if (visible.length === 0 && hidden && !hidden.allowed) return refused(hidden.reasonCode, hidden.message);
  const locks = await deps.store.listLocks(now);
  const environments = await Promise.all(visible.map((target) => environmentStatus(deps, target, locks, now)));
  const lines = environments.map((status) => `${status.env}: ${describeEnvironment(status, deps.config.timezone, now)}`);
  const header = `${command.service} at ${formatMoment(now, config.timezone)}:`;
  return done([header, ...lines].join("\n"), { serviceStatus: { service: command.service, environments } });
}

async function environmentStatus(deps: CommandDeps, target: Target, locks: readonly Lock[], now: Date): Promise<EnvironmentStatusView> {
  const { store, config } = deps;
  const { service, env } = target;
  const [live, running, queue, awaiting] = await Promise.all([
    liveRelease(store, service, env),
    store.getRunning(service, env),
    store.listQueue(service, env),
    AWAITING_APPROVAL_STATES.length ? store.listDeploys({ service, env, states: AWAITING_APPROVAL_STATES, limit: MAX_COUNTED }) : Promise.resolve([]),
  ]);
  const lock = locks.find((l) => lockActive(l, now) && lockCovers(l, service, env));
  const closed = windowPolicy({ now, config, target, action: "deploy" });
  return {
    env,
    ...(live ? { live: toLiveReleaseView(live) } : {}),
    ...(running ? { running: runningView(running) } : {}),
    queued: queue.length,
    waiting: queue.filter((d) => d.waitingReason).length,
    awaitingApproval: awaiting.length,
    ...(lock ? { lock } : {}),
    windows: openWindows(deps, target, now),
    ...(closed.allowed ? {} : { closedByWindow: { message: closed.message, ...(closed.until ? { until: closed.until } : {}) } }),
  };
}

function runningView(deploy: Deploy): NonNullable<EnvironmentStatusView["running"]> {
  const stage = deploy.stages.find((s) => s.status === "running")?.name;
  const verifyingUntil = deploy.state === "verifying" ? deploy.verification?.endsAt : undefined;
  return {
    deployId: deploy.id,
    sha: deploy.sha,
    actor: deploy.actor,
    ...(stage ? { stage } : {}),
    ...(deploy.startedAt ? { startedAt: deploy.startedAt } : {}),
    ...(verifyingUntil ? { verifyingUntil } : {}),
  };
}

/** Windows open now that cover the target, with the end of the occurrence that is open. */
function openWindows(deps: CommandDeps, target: Target, now: Date): WindowView[] {
  return deps.config.windows.flatMap((w) => {
    const open = windowCovers(w, target.service, target.env) ? w.schedule.openAt(now) : null;
    if (!open) return [];
    const { name, kind, environments, services, reason } = w;
    return [{ name, kind, open: true, start: open.start.toISOString(), end: open.end.toISOString(), environments, services, ...(reason ? { reason } : {}) }];
  });
}

/** One environment as one line, its parts joined like `deploys` joins them. */
function describeEnvironment(status: EnvironmentStatusView, timezone: string, now: Date): string {
  const at = (iso: string) => formatMoment(new Date(iso), timezone, now);
  const parts = [status.live ? `live ${describeLiveRelease(status.live, timezone, now)}` : "nothing live"];
  const running = status.running;
  if (running?.verifyingUntil) parts.push(`verifying ${running.deployId} (${shortSha(running.sha)}) by ${running.actor}, ${minutesLeft(running.verifyingUntil, now)} min left`);
  else if (running) parts.push(`running ${running.deployId} (${shortSha(running.sha)}) by ${running.actor}, ${running.stage ? `stage ${running.stage}` : "starting"}`);
  if (status.queued) parts.push(`${status.queued} queued${status.waiting ? ` (${status.waiting} waiting for a window)` : ""}`);
  if (status.awaitingApproval) parts.push(`${status.awaitingApproval} awaiting approval`);
  const lock = status.lock;
  if (lock) parts.push(`🔒 locked by ${lock.owner}${lock.expiresAt ? ` until ${at(lock.expiresAt)}` : ""}${lock.reason ? ` (${lock.reason})` : ""}`);
  for (const w of status.windows) parts.push(`window "${w.name}" (${w.kind}) open${w.end ? ` until ${at(w.end)}` : ""}`);
  const closed = status.closedByWindow;
  if (closed && !status.windows.some((w) => w.kind === "deny")) parts.push(`outside its allow windows${closed.until ? ` until ${at(closed.until)}` : ""}`);
  return parts.join(" · ");
}

/** Whole minutes left until `until`, rounded up (as the deploy card says it). */
const minutesLeft = (until: string, now: Date): number => Math.max(0, Math.ceil((Date.parse(until) - now.getTime()) / 60_000));
