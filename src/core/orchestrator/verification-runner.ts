import type { WhistlestopConfig } from "../model/config.js";
import type { Deploy, DeployPatch } from "../model/deploy.js";
import { resolveTarget } from "../model/resolve-target.js";
import { AlarmReadError, type AlarmReading, type Alarms } from "../ports/alarms.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { Store } from "../ports/store.js";
import { applyAlarmReading, nextVerificationStep, startVerification, verificationLeft, verifySettingsOf } from "./alarm-verification.js";
import type { NotificationQueue } from "./notification-queue.js";

export interface VerificationDeps {
  readonly store: Store;
  readonly notifications: NotificationQueue;
  readonly clock: Clock;
  readonly config: WhistlestopConfig;
  readonly logger: Logger;
  /** CloudWatch; without it nothing is verified (a deploy succeeds when its pipeline does). */
  readonly alarms?: Alarms;
}

/** When a deploy whose step is already running is looked at again. */
const BUSY_RETRY_MS = 1_000;

/** What the tracker does next with a deploy: stop following it, poll soon, or poll after `waitMs`. */
export type VerificationOutcome = "done" | { readonly waitMs: number };

/** Ends a verifying deploy (the orchestrator's finish: frees the slot, reports, starts the next). */
export type FinishVerifying = (deploy: Deploy, state: "succeeded" | "failed", patch: DeployPatch) => Promise<void>;

/**
 * Alarm verification of deploys (verify in whistlestop.yml): after its pipeline succeeds a deploy
 * is `verifying` while its alarms are watched, holding its slot. Every step is decided from what
 * the store holds and the clock (nextVerificationStep), so a restart or another replica resumes
 * it where it was; every write is a compare-and-set on `verifying`.
 */
export class VerificationRunner {
  /** Deploys whose step runs now: a second look meanwhile (a poke) must not make a second call. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly deps: VerificationDeps,
    private readonly finish: FinishVerifying,
  ) {}

  /**
   * The pipeline of a running deploy succeeded: start verifying it, storing `patch` (its last
   * stages) with the change. Undefined when it has nothing to verify, and the caller finishes it.
   */
  async begin(deploy: Deploy, patch: DeployPatch): Promise<VerificationOutcome | undefined> {
    const { store, notifications, clock, config } = this.deps;
    const settings = this.deps.alarms ? verifySettingsOf(resolveTarget(config, deploy.service, deploy.env)) : undefined;
    if (!settings) return undefined;
    const now = clock.now();
    const verification = startVerification(settings, now);
    const verifying = await store.updateDeploy(deploy.id, { ...patch, state: "verifying", verification }, "running");
    if (!verifying) return "done";
    notifications.send("verifying", verifying, verificationLeft(verification, now));
    return { waitMs: 0 };
  }

  /**
   * A person stops watching (cancel): the release is live, so the deploy ends `succeeded`, its
   * verification saying who stopped it. Undefined when it was no longer verifying.
   */
  async stopEarly(deploy: Deploy, by: string): Promise<Deploy | undefined> {
    const verification = deploy.verification;
    if (deploy.state !== "verifying" || !verification) return undefined;
    const stopped = { ...verification, stoppedBy: by, endsAt: this.deps.clock.now().toISOString() };
    await this.finish(deploy, "succeeded", { verification: stopped });
    const after = await this.deps.store.getDeploy(deploy.id);
    return after?.verification?.stoppedBy === by ? after : undefined;
  }

  /** One step of a verifying deploy: wait, ask CloudWatch, or end it. One at a time per deploy. */
  async step(deploy: Deploy): Promise<VerificationOutcome> {
    if (this.inFlight.has(deploy.id)) return { waitMs: BUSY_RETRY_MS };
    this.inFlight.add(deploy.id);
    try {
      const latest = await this.deps.store.getDeploy(deploy.id);
      return latest?.state === "verifying" ? await this.stepAlone(latest) : "done";
    } finally {
      this.inFlight.delete(deploy.id);
    }
  }

  private async stepAlone(deploy: Deploy): Promise<VerificationOutcome> {
    const verification = deploy.verification;
    const alarms = this.deps.alarms;
    if (!verification || !alarms) {
      await this.finish(deploy, "succeeded", {});
      return "done";
    }
    const now = this.deps.clock.now();
    const step = nextVerificationStep(verification, now);
    if (step.kind === "wait") return { waitMs: step.ms };
    if (step.kind === "pass") {
      // The last check was moments ago: an alarm it held (in ALARM since before the deploy) is still firing.
      const held = verification.holding?.[0];
      if (held) await this.finish(deploy, "failed", { error: `alarm:${held}`, reasonCode: `alarm:${held}` });
      else await this.finish(deploy, "succeeded", {});
      return "done";
    }
    const reading = await read(alarms, deploy.pipelineName, verification.alarms);
    const where = alarms.whereOf(deploy.pipelineName);
    const timing = { final: step.final, ...(deploy.startedAt ? { deployStartedAt: deploy.startedAt } : {}) };
    const outcome = applyAlarmReading(verification, reading, now, where, `${deploy.service}/${deploy.env}`, timing);
    this.log(deploy, reading, outcome.problemChanged ? outcome.verification.problem?.message : undefined);
    if (outcome.firing) {
      const reason = `alarm:${outcome.firing}` as const;
      await this.finish(deploy, "failed", { verification: outcome.verification, error: reason, reasonCode: reason });
      return "done";
    }
    if (step.final) {
      await this.finish(deploy, "succeeded", { verification: outcome.verification });
      return "done";
    }
    const updated = await this.deps.store.updateDeploy(deploy.id, { verification: outcome.verification }, "verifying");
    if (!updated) return "done";
    // The card says how long is left in minutes: it is edited when that number (or a problem) changes.
    const before = verification.checkedAt ? verificationLeft(verification, new Date(verification.checkedAt)) : undefined;
    const left = verificationLeft(outcome.verification, now);
    if (outcome.problemChanged || before !== left) this.deps.notifications.send("progress", updated, left);
    const next = nextVerificationStep(outcome.verification, now);
    return { waitMs: next.kind === "wait" ? next.ms : 0 };
  }

  /** A new problem is logged once (it is shown on the deploy too); a failed call each time, as a warning. */
  private log(deploy: Deploy, reading: ReadonlyMap<string, AlarmReading> | AlarmReadError, newProblem: string | undefined): void {
    const { logger } = this.deps;
    if (newProblem) logger.error({ deployId: deploy.id }, `alarm verification: ${newProblem}`);
    if (reading instanceof AlarmReadError && reading.kind !== "access_denied") {
      logger.warn({ deployId: deploy.id, err: reading }, "alarm verification: could not read the alarms; asking again later");
    }
  }
}

async function read(alarms: Alarms, pipelineName: string, names: readonly string[]): Promise<ReadonlyMap<string, AlarmReading> | AlarmReadError> {
  try {
    return await alarms.describe(pipelineName, names);
  } catch (error) {
    return error instanceof AlarmReadError ? error : new AlarmReadError(error instanceof Error ? error.message : String(error), "failed");
  }
}
