import { actorKey, actorOfDeploy } from "../core/model/actor.js";
import type { WhistlestopConfig } from "../core/model/config.js";
import type { Deploy } from "../core/model/deploy.js";
import { ALL, lockCovers, type Lock } from "../core/model/lock.js";
import { resolveTarget } from "../core/model/resolve-target.js";
import type { Clock } from "../core/ports/clock.js";
import type { Logger } from "../core/ports/logger.js";
import type { DeployEvent, Notifier } from "../core/ports/notifier.js";
import type { Pipeline } from "../core/ports/pipeline.js";
import type { StoreReader } from "../core/ports/store.js";
import { activeFreezes } from "../core/policies/active-freezes.js";
import { lockBinds } from "../core/policies/lock-policy.js";
import { windowCovers } from "../core/policies/window-covers.js";
import type { Timers } from "../ports/timers.js";

/** A safety net on top of exact window boundaries: someone may have flipped a transition by hand. */
const RESYNC_MS = 5 * 60_000;
/** A transition that could not be changed is tried again this soon: a freeze must not stay open for long. */
const RETRY_MS = 30_000;

/**
 * Hard freezes (enforce_in_pipeline, see docs/aws.md): while a deny window or an `all`-scoped lock covers
 * such a pipeline, its deploy stage's inbound transition is disabled, so even a console-started run
 * cannot roll out. A deploy Whistlestop let through on purpose — an admin's forced deploy, a rollback,
 * or the lock owner's own deploy — opens the transition for as long as it runs.
 *
 * Applied at start-up, whenever locks change, at every window boundary and lock expiry, when a
 * deploy to an enforcing target starts or ends, and every few minutes. Every replica may do this:
 * the calls are idempotent.
 */
export class FreezeReconciler implements Notifier {
  private applied = new Map<string, boolean>();
  private timer: unknown;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly config: WhistlestopConfig,
    private readonly store: Pick<StoreReader, "listLocks" | "listRunning">,
    private readonly pipeline: Pipeline,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly logger: Logger,
  ) {}

  /** Whether any environment asks for hard freezes; when none does this object does nothing. */
  get enabled(): boolean {
    return Object.keys(this.config.services).some((service) =>
      Object.keys(this.config.environments).some((env) => this.config.services[service]?.environments[env]?.enforceInPipeline ?? this.config.environments[env]?.enforceInPipeline),
    );
  }

  /** Bring every enforcing pipeline's transition in line; overlapping calls coalesce into one more run. */
  reconcile(): Promise<void> {
    if (!this.enabled || this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.apply().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.reconcile();
      }
    });
    return this.running;
  }

  /** A deploy starting or ending may open or close its pipeline; its reports do not wait for CodePipeline. */
  async notify(event: DeployEvent): Promise<void> {
    if (!["started", "succeeded", "failed", "cancelled"].includes(event.type)) return;
    if (resolveTarget(this.config, event.deploy.service, event.deploy.env)?.enforceInPipeline) void this.reconcile();
  }

  /** No more changes; resolves once a run under way has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    await this.running;
  }

  private async apply(): Promise<void> {
    const now = this.clock.now();
    let lockEnds: number[] = [];
    let failed = false;
    try {
      const [locks, running] = await Promise.all([this.store.listLocks(now), this.store.listRunning()]);
      lockEnds = locks.flatMap((l) => (l.expiresAt ? [Date.parse(l.expiresAt)] : []));
      const overrides = new Set(running.filter((d) => this.letThrough(d, locks, now)).map((d) => `${d.service}/${d.env}`));
      for (const freeze of activeFreezes(this.config, locks, now)) {
        if (this.stopped) return;
        const key = `${freeze.pipeline}/${freeze.deployStage}`;
        const frozen = freeze.frozen && !overrides.has(`${freeze.service}/${freeze.env}`);
        if (this.applied.get(key) === frozen) continue;
        const reason = frozen ? (freeze.reason ?? "Whistlestop freeze") : "Whistlestop freeze ended";
        try {
          await this.pipeline.setInboundTransition(freeze.pipeline, freeze.deployStage, !frozen, reason);
          this.applied.set(key, frozen);
          this.logger.info({ pipeline: freeze.pipeline, stage: freeze.deployStage, frozen, reason }, frozen ? "deploy stage frozen" : "deploy stage unfrozen");
        } catch (error) {
          failed = true;
          this.logger.warn({ err: error, pipeline: freeze.pipeline }, "could not change the deploy stage's transition; will retry");
        }
      }
    } catch (error) {
      failed = true;
      this.logger.warn({ err: error }, "could not read locks for hard freezes; will retry");
    } finally {
      this.scheduleNext(now, failed ? [...lockEnds, now.getTime() + RETRY_MS] : lockEnds);
    }
  }

  /**
   * Whether a running deploy passed every freeze on its target on purpose: forced by an admin, a
   * rollback, or deployed by the owner of every `all`-scoped lock covering it with no deny window open.
   */
  private letThrough(deploy: Deploy, locks: readonly Lock[], now: Date): boolean {
    if (deploy.forced || deploy.rollbackOf !== undefined) return true;
    const { service, env } = deploy;
    if (this.config.windows.some((w) => w.kind === "deny" && windowCovers(w, service, env) && w.schedule.openAt(now) !== null)) return false;
    const owner = actorKey(actorOfDeploy(deploy));
    return locks.every((l) => !(l.service === ALL || l.env === ALL) || !lockCovers(l, service, env) || !lockBinds(l, now) || l.ownerKey === owner);
  }

  /** Wake at the next window boundary or lock expiry (or the resync interval, whichever is first). */
  private scheduleNext(now: Date, lockEnds: readonly number[]): void {
    if (this.stopped) return;
    let next = Math.min(now.getTime() + RESYNC_MS, ...lockEnds.filter((t) => t > now.getTime()));
    for (const window of this.config.windows) {
      if (window.kind !== "deny") continue;
      const open = window.schedule.openAt(now);
      const boundary = open ? open.end : window.schedule.nextAfter(now)?.start;
      if (boundary && boundary.getTime() < next) next = boundary.getTime();
    }
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      // Someone may have enabled a frozen transition by hand in the console: close it again.
      for (const [key, frozen] of this.applied) if (frozen) this.applied.delete(key);
      void this.reconcile();
    }, Math.max(1_000, next - now.getTime() + 1_000));
  }
}
