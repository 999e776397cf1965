import type { DeployEvent, DeployEventType, Notifier } from "../core/ports/notifier.js";
import type { Logger } from "./logger.js";

const MESSAGES: Readonly<Record<DeployEventType, string>> = {
  awaiting_approval: "deploy awaiting approval",
  queued: "deploy queued",
  waiting: "deploy waiting",
  started: "deploy started",
  progress: "deploy stage changed",
  verifying: "deploy verifying its alarms",
  succeeded: "deploy finished",
  failed: "deploy finished",
  cancelled: "deploy finished",
  superseded: "deploy superseded",
};

/**
 * Every deploy's start, stage changes and end at info level, with what an operator searches logs
 * by: id, service, env, sha and actor (and the execution, stages and error where known).
 */
export class DeployLogNotifier implements Notifier {
  constructor(private readonly logger: Logger) {}

  async notify(event: DeployEvent): Promise<void> {
    const { deploy } = event;
    this.logger.info(
      {
        deployId: deploy.id,
        service: deploy.service,
        env: deploy.env,
        sha: deploy.sha,
        actor: deploy.actor,
        state: deploy.state,
        ...(deploy.executionId ? { executionId: deploy.executionId } : {}),
        ...(deploy.stages.length ? { stages: deploy.stages.map((s) => `${s.name}:${s.status}`).join(" ") } : {}),
        ...(deploy.artifact ? { artifact: deploy.artifact } : {}),
        ...(deploy.error ? { error: deploy.error } : {}),
        ...(event.note ? { note: event.note } : {}),
      },
      MESSAGES[event.type],
    );
  }
}
