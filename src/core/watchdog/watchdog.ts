import type { WhistlestopConfig } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import { resolveTarget } from "../model/resolve-target.js";
import type { Clock } from "../ports/clock.js";
import type { DeployWarner, DeployWarning } from "../ports/deploy-warner.js";
import type { Logger } from "../ports/logger.js";
import type { Store } from "../ports/store.js";
import { formatDuration } from "../time/duration.js";
import { DEFAULT_TIMEOUT_FLOOR_MS, STAGE_HISTORY, stageTimeout } from "./stage-timeout.js";

/** A deploy nothing could be read about for this long is reported. */
export const SILENCE_MS = 10 * 60_000;

/** A deploy this replica follows but has heard nothing about for SILENCE_MS or more (/readyz lists them). */
export interface SilentDeploy {
  readonly id: string;
  readonly service: string;
  readonly env: string;
  /** When its progress was last read, or when this replica began following it. */
  readonly since: string;
  readonly silentFor: string;
}

export interface WatchdogDeps {
  readonly store: Pick<Store, "listRunning" | "recentStageDurations" | "recordKey">;
  readonly config: WhistlestopConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where warnings are shown; surfaces add theirs after the core is built. */
  readonly warners: readonly DeployWarner[];
  /** The deploys this replica follows now. */
  readonly followed: () => Iterable<string>;
}

/**
 * Looks at the running deploys this replica follows (docs/operations.md, The watchdog): a stage
 * running past its timeout, and a deploy whose progress could not be read for ten minutes, each
 * get one warning across replicas and restarts (a key in the store claims it). Time comes from the
 * clock only, so a check is a pure step that a test moves along with a fake clock.
 */
export class Watchdog {
  /** When each followed deploy's progress was last read (ms on the clock). */
  private readonly heardAt = new Map<string, number>();
  /** Warnings already claimed, by deploy: no store write to find that out again. */
  private readonly warned = new Map<string, Set<string>>();
  private silentNow: SilentDeploy[] = [];

  constructor(private readonly deps: WatchdogDeps) {}

  /** The deploy's progress was just read (a reconcile got an answer from the pipeline). */
  heard(deployId: string): void {
    this.heardAt.set(deployId, this.deps.clock.now().getTime());
  }

  /** The followed deploys found silent at the last check. */
  silentDeploys(): readonly SilentDeploy[] {
    return this.silentNow;
  }

  /** One look at every followed running deploy; warns where due. */
  async check(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const followed = new Set(this.deps.followed());
    for (const id of [...this.heardAt.keys(), ...this.warned.keys()]) {
      if (!followed.has(id)) {
        this.heardAt.delete(id);
        this.warned.delete(id);
      }
    }
    const running = (await this.deps.store.listRunning()).filter((d) => followed.has(d.id));
    const silent: SilentDeploy[] = [];
    for (const deploy of running) {
      if (!this.heardAt.has(deploy.id)) this.heardAt.set(deploy.id, now);
      const heard = this.heardAt.get(deploy.id)!;
      if (now - heard >= SILENCE_MS) {
        const since = new Date(heard).toISOString();
        silent.push({ id: deploy.id, service: deploy.service, env: deploy.env, since, silentFor: formatDuration(now - heard) });
        await this.warnOnce(`watchdog:silent:${deploy.id}`, deploy, { kind: "silent", silentMs: now - heard, since });
      }
      await this.checkStages(deploy, now);
    }
    this.silentNow = silent;
  }

  private async checkStages(deploy: Deploy, now: number): Promise<void> {
    const configured = resolveTarget(this.deps.config, deploy.service, deploy.env)?.stageTimeoutMs;
    for (const stage of deploy.stages) {
      if (stage.status !== "running" || !stage.startedAt) continue;
      const runningMs = now - Date.parse(stage.startedAt);
      // Below every timeout it could have: no need to read the stage's history.
      if (runningMs <= (configured ?? DEFAULT_TIMEOUT_FLOOR_MS)) continue;
      const key = `watchdog:stage:${deploy.id}:${stage.name}`;
      if (this.warned.get(deploy.id)?.has(key)) continue;
      const history = configured === undefined ? await this.deps.store.recentStageDurations(deploy.service, deploy.env, stage.name, STAGE_HISTORY) : [];
      const timeout = stageTimeout(configured, history);
      if (runningMs > timeout.ms) await this.warnOnce(key, deploy, { kind: "stage_timeout", stage: stage.name, runningMs, timeoutMs: timeout.ms, source: timeout.source });
    }
  }

  private async warnOnce(key: string, deploy: Deploy, warning: DeployWarning): Promise<void> {
    const warned = this.warned.get(deploy.id) ?? new Set<string>();
    this.warned.set(deploy.id, warned);
    if (warned.has(key)) return;
    const claimed = await this.deps.store.recordKey(key, this.deps.clock.now());
    warned.add(key);
    if (!claimed) return;
    this.deps.logger.warn({ deployId: deploy.id, service: deploy.service, env: deploy.env, ...warning }, warning.kind === "silent" ? "watchdog: no progress information for this deploy" : "watchdog: a stage is running past its timeout");
    for (const warner of this.deps.warners) {
      try {
        await warner.warn(deploy, warning);
      } catch (error) {
        this.deps.logger.warn({ err: error, deployId: deploy.id }, "watchdog: a warning could not be delivered");
      }
    }
  }
}
