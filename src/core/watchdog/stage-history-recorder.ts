import { isFinal } from "../model/deploy.js";
import type { StageRun } from "../model/stage-run.js";
import type { DeployEvent, Notifier } from "../ports/notifier.js";
import type { StageHistoryStore } from "../ports/stage-history-store.js";

/**
 * Keeps the watchdog's history: when a deploy ends, however it ends, each stage of it that
 * succeeded is recorded with how long it ran. A restart that reports the end again records nothing
 * twice (the store keeps the first).
 */
export class StageHistoryRecorder implements Notifier {
  constructor(private readonly store: Pick<StageHistoryStore, "recordStageRuns">) {}

  async notify({ deploy }: DeployEvent): Promise<void> {
    if (!isFinal(deploy.state)) return;
    const runs: StageRun[] = deploy.stages.flatMap((stage) =>
      stage.status === "succeeded" && stage.startedAt && stage.finishedAt
        ? [{ deployId: deploy.id, service: deploy.service, env: deploy.env, stage: stage.name, startedAt: stage.startedAt, finishedAt: stage.finishedAt }]
        : [],
    );
    await this.store.recordStageRuns(runs);
  }
}
