import type { Deploy } from "../model/deploy.js";

export type DeployEventType =
  | "awaiting_approval"
  | "queued"
  | "waiting"
  | "started"
  | "progress"
  /** The pipeline succeeded and the deploy's alarms are now watched (verify). */
  | "verifying"
  | "succeeded"
  | "failed"
  | "cancelled"
  | "superseded";

/** A change in a deploy's life, sent after the change is stored. */
export interface DeployEvent {
  readonly type: DeployEventType;
  readonly deploy: Deploy;
  /** Extra human text: why it waits, who cancelled, the force reason. */
  readonly note?: string;
  readonly at: string;
}

/**
 * Outbound reporting (Slack card, GitHub deployment, PR comment, SSE, metrics). A notifier
 * must not throw for delivery problems it can retry itself; a throw is logged and the event is
 * re-sent after a restart because the deploy stays unnotified.
 */
export interface Notifier {
  notify(event: DeployEvent): Promise<void>;
}

/** Sends each event to every notifier; one failing does not stop the others. */
export class FanOutNotifier implements Notifier {
  constructor(
    private readonly notifiers: readonly Notifier[],
    private readonly onError: (error: unknown, event: DeployEvent) => void,
  ) {}

  async notify(event: DeployEvent): Promise<void> {
    const results = await Promise.allSettled(this.notifiers.map((n) => n.notify(event)));
    for (const result of results) if (result.status === "rejected") this.onError(result.reason, event);
    if (results.some((r) => r.status === "rejected")) throw new Error(`a notifier failed for ${event.deploy.id}`);
  }
}

/**
 * Sends each event to its notifiers one after another, so a later one sees what an earlier one
 * stored (a thread reply needs the card the first one posted). Every notifier hears the event even
 * when one before it failed; the first failure is thrown once all have run.
 */
export class SequenceNotifier implements Notifier {
  constructor(private readonly notifiers: readonly Notifier[]) {}

  async notify(event: DeployEvent): Promise<void> {
    const failures: unknown[] = [];
    for (const notifier of this.notifiers) {
      try {
        await notifier.notify(event);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}
