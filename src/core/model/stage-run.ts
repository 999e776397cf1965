/** One successful run of a pipeline stage in a deploy: the watchdog's history of how long a stage takes. */
export interface StageRun {
  readonly deployId: string;
  readonly service: string;
  readonly env: string;
  readonly stage: string;
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** How long it ran, in ms; never negative (clocks of a stage's start and end may disagree slightly). */
export const stageRunMs = (run: Pick<StageRun, "startedAt" | "finishedAt">): number => Math.max(0, Date.parse(run.finishedAt) - Date.parse(run.startedAt));
