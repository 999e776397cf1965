import type { WhistlestopConfig } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import type { Logger } from "../ports/logger.js";
import type { DeployEvent, DeployEventType, Notifier } from "../ports/notifier.js";
import type { Store } from "../ports/store.js";
import type { ChangeSetBuilder } from "./change-set-builder.js";
import { changeSetRequestFor } from "./change-set-request.js";

export interface ChangeSetRecorderDeps {
  readonly store: Pick<Store, "getDeploy" | "listSucceeded" | "updateDeploy">;
  readonly config: WhistlestopConfig;
  readonly builder: Pick<ChangeSetBuilder, "between">;
  /** Shows the deploy again on every surface once its change set is stored. */
  readonly refresh: (deployId: string) => void;
  readonly logger: Logger;
}

/** The events a deploy's life starts with (a restart re-sends them for deploys still moving). */
const FIRST_EVENTS: ReadonlySet<DeployEventType> = new Set(["queued", "waiting", "started"]);
/** Deploys already handled by this process; old ids are forgotten first. */
const MAX_REMEMBERED = 10_000;

/**
 * Records each deploy's change set once the deploy is stored, off the request's path: the deploy
 * has been decided and started before the compare is even asked for, so a slow GitHub never
 * delays a start. When the change set is stored, the deploy is shown again (card, PR comment,
 * event stream) with it. A compare that fails is recorded as such; a store that fails is retried
 * when the deploy's events come again (after a restart).
 */
export class ChangeSetRecorder implements Notifier {
  private readonly handled = new Set<string>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: ChangeSetRecorderDeps) {}

  async notify(event: DeployEvent): Promise<void> {
    const { deploy } = event;
    if (deploy.changeSet || !FIRST_EVENTS.has(event.type) || this.handled.has(deploy.id)) return;
    this.handled.add(deploy.id);
    if (this.handled.size > MAX_REMEMBERED) this.handled.delete(this.handled.values().next().value!);
    const work: Promise<void> = this.record(deploy).finally(() => this.running.delete(work));
    this.running.add(work);
  }

  /** Resolves when every change set being worked out has been stored (or given up). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async record(deploy: Deploy): Promise<void> {
    const { store, config, builder, logger } = this.deps;
    try {
      const request = await changeSetRequestFor(store, config, deploy);
      if (!request) return;
      const changeSet = await builder.between(request);
      if (changeSet.status === "failed") logger.warn({ deployId: deploy.id, repo: request.repo, detail: changeSet.detail }, "could not compare commits for a deploy's change set; it says so");
      if (await store.updateDeploy(deploy.id, { changeSet })) this.deps.refresh(deploy.id);
    } catch (error) {
      this.handled.delete(deploy.id);
      logger.warn({ err: error, deployId: deploy.id }, "could not record a deploy's change set; it is tried again when the deploy's events are sent again");
    }
  }
}
