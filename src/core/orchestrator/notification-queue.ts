import type { Deploy } from "../model/deploy.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { DeployEvent, DeployEventType, Notifier } from "../ports/notifier.js";
import { noPacing, type Pacer } from "../ports/pacer.js";
import type { Store } from "../ports/store.js";

/**
 * Delivers deploy events in order per deploy without holding up the request that caused them
 * (a Slack card may wait on rate limits; the API answer must not). Once every notifier has
 * taken an event, the deploy is marked notified in the store; a deploy left unnotified by a
 * crash is reported again by `catchUp` after a restart, so no deploy goes silent. While the
 * process is saturated with requests, deliveries wait their turn from the pacer (a bounded delay),
 * so a burst of merges or slash commands is acknowledged and started before it is reported.
 */
export class NotificationQueue {
  private readonly chains = new Map<string, Promise<void>>();
  private afterFailure?: (deploy: Deploy) => Promise<void>;

  constructor(
    private readonly store: Store,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly pacer: Pacer = noPacing,
  ) {}

  /**
   * Work that must follow a deploy's failure, such as its automatic rollback (on_failure). It runs
   * after the `failed` event is delivered and before the deploy is marked notified, so a crash
   * (kill -9) anywhere between the failure being stored and this work being done leaves the deploy
   * unnotified: `catchUp`, which every replica's sweep runs after a restart, sends the `failed`
   * event again and this runs again. It must therefore be idempotent; when it throws, the deploy
   * stays unnotified and the next sweep tries again.
   */
  onFailed(work: (deploy: Deploy) => Promise<void>): void {
    this.afterFailure = work;
  }

  send(type: DeployEventType, deploy: Deploy, note?: string): void {
    const event: DeployEvent = { type, deploy, at: this.clock.now().toISOString(), ...(note ? { note } : {}) };
    this.chain(deploy.id, () => this.deliver(event));
  }

  /**
   * Show a deploy again everywhere as the store holds it now (something was added to it, such as
   * its change set), in order with its other events. It is a `progress` event and marks nothing
   * notified: the event of the deploy's current state may still be on its way.
   */
  refresh(deployId: string): void {
    this.chain(deployId, async () => {
      await this.pacer.turn();
      try {
        const deploy = await this.store.getDeploy(deployId);
        if (!deploy) return;
        const position = deploy.state === "queued" && !deploy.waitingReason ? await this.store.queuePosition(deployId) : 0;
        const note = position > 0 ? `position ${position} in the queue` : undefined;
        await this.notifier.notify({ type: "progress", deploy, at: this.clock.now().toISOString(), ...(note ? { note } : {}) });
      } catch (error) {
        this.logger.warn({ err: error, deployId }, "a deploy could not be shown again; its next event will carry the change");
      }
    });
  }

  private chain(deployId: string, work: () => Promise<void>): void {
    const previous = this.chains.get(deployId) ?? Promise.resolve();
    const next = previous.then(work);
    this.chains.set(deployId, next);
    void next.finally(() => {
      if (this.chains.get(deployId) === next) this.chains.delete(deployId);
    });
  }

  /** Resolves when every event sent so far has been delivered (or has failed and been logged). */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  /**
   * Like idle(), but gives up after `ms` (shutdown must not wait on a slow Slack or GitHub).
   * Reports still pending stay unnotified in the store and are sent again after the restart.
   * Returns whether everything was delivered.
   */
  async idleWithin(ms: number, wait: (ms: number) => Promise<void>): Promise<boolean> {
    let timedOut = false;
    await Promise.race([this.idle(), wait(ms).then(() => (timedOut = true))]);
    return !timedOut;
  }

  /**
   * Re-send the current state of deploys whose reporting a crash interrupted. Deploys whose events
   * are on their way here right now are not leftovers (a final card edit waits out Slack's pace);
   * `mayReport` leaves out deploys another live replica may still be reporting: two replicas
   * reporting one deploy at once would each post a Slack card and create a GitHub Deployment.
   */
  async catchUp(limit = 100, mayReport: (deploy: Deploy) => boolean = () => true): Promise<number> {
    const pending = (await this.store.listUnnotified(limit)).filter((deploy) => !this.chains.has(deploy.id) && mayReport(deploy));
    for (const deploy of pending) this.send(eventForState(deploy), deploy, "(reported again after a restart)");
    return pending.length;
  }

  private async deliver(event: DeployEvent): Promise<void> {
    await this.pacer.turn();
    try {
      await this.notifier.notify(event);
      if (event.deploy.state === "failed" && this.afterFailure) await this.afterFailure(event.deploy);
      await this.store.markNotified(event.deploy.id, event.deploy.state);
    } catch (error) {
      this.logger.warn({ err: error, deployId: event.deploy.id, type: event.type }, "deploy event not fully delivered; it will be sent again");
    }
  }
}

function eventForState(deploy: Deploy): DeployEventType {
  switch (deploy.state) {
    case "awaiting_approval":
      return "awaiting_approval";
    case "queued":
      return deploy.waitingReason ? "waiting" : "queued";
    case "running":
      return "started";
    default:
      return deploy.state;
  }
}
