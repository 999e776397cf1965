import type { WhistlestopConfig } from "../core/model/config.js";
import { resolveTarget } from "../core/model/resolve-target.js";
import type { Clock } from "../core/ports/clock.js";
import type { Logger } from "../core/ports/logger.js";
import type { DeployEvent, Notifier } from "../core/ports/notifier.js";
import type { Pipeline } from "../core/ports/pipeline.js";
import type { StoreReader } from "../core/ports/store.js";
import { activeFreezes, hardFreezesEnabled, nextFreezeChange } from "../core/policies/active-freezes.js";
import type { Timers } from "../ports/timers.js";

/** A safety net on top of exact window boundaries: someone may have flipped a transition by hand. */
const RESYNC_MS = 5 * 60_000;
/** A transition that could not be changed is tried again this soon: a freeze must not stay open for long. */
const RETRY_MS = 30_000;

/**
 * Hard freezes (enforce_in_pipeline, see docs/aws.md): while a deny window or an `all`-scoped lock covers
 * such a pipeline, its deploy stage's inbound transition is disabled, so even a console-started run
 * cannot roll out. Which pipelines must be frozen is the core's answer (activeFreezes); this object
 * only reads the facts, applies the answer to CodePipeline, and wakes when it next changes.
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
    return hardFreezesEnabled(this.config);
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
    let changesAt: Date | undefined;
    let failed = false;
    try {
      const [locks, running] = await Promise.all([this.store.listLocks(now), this.store.listRunning()]);
      changesAt = nextFreezeChange(this.config, locks, now);
      for (const freeze of activeFreezes(this.config, locks, now, running)) {
        if (this.stopped) return;
        const key = `${freeze.pipeline}/${freeze.deployStage}`;
        const { frozen } = freeze;
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
      this.scheduleNext(now, failed ? Math.min(changesAt?.getTime() ?? Infinity, now.getTime() + RETRY_MS) : changesAt?.getTime());
    }
  }

  /** Wake when the freezes next change by themselves (or at the resync interval, whichever is first). */
  private scheduleNext(now: Date, changesAt: number | undefined): void {
    if (this.stopped) return;
    const next = Math.min(now.getTime() + RESYNC_MS, changesAt ?? Infinity);
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      // Someone may have enabled a frozen transition by hand in the console: close it again.
      for (const [key, frozen] of this.applied) if (frozen) this.applied.delete(key);
      void this.reconcile();
    }, Math.max(1_000, next - now.getTime() + 1_000));
  }
}
