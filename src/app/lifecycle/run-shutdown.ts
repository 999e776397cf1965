import type { Logger } from "../../core/ports/logger.js";
import type { Timers } from "../../ports/timers.js";

export interface ShutdownStep {
  readonly name: string;
  /** Given how long it may take; a step still running then is left behind and the next one starts. */
  readonly run: (remainingMs: number) => Promise<unknown>;
  /** Handing work back to other replicas: runs even past the deadline, within `finalStepMs`. */
  readonly always?: boolean;
}

export interface ShutdownLimits {
  /** How long the in-flight work may take in all; default 25 s, inside a 30 s termination grace. */
  readonly deadlineMs: number;
  /** The most each `always` step gets; default 2 s. */
  readonly finalStepMs?: number;
}

/** 25 s for in-flight work, then a few seconds to hand leases back, inside Kubernetes' and ECS's 30 s. */
export const DEFAULT_SHUTDOWN_MS = 25_000;

/**
 * Runs the shutdown steps in order under one deadline, so no step (a poll of a CodePipeline that
 * stopped answering, a report to a slow Slack) can hold the process past it. Never rejects.
 */
export async function runShutdown(steps: readonly ShutdownStep[], timers: Timers, logger: Logger, limits: ShutdownLimits): Promise<void> {
  const deadline = timers.now() + limits.deadlineMs;
  for (const step of steps) {
    const limit = step.always ? (limits.finalStepMs ?? 2_000) : deadline - timers.now();
    if (limit <= 0) {
      logger.warn({ step: step.name }, "shutdown deadline passed; step skipped");
      continue;
    }
    let timer: unknown;
    const outcome = await Promise.race([
      step.run(limit).then(
        () => "done" as const,
        (error: unknown) => {
          logger.warn({ err: error, step: step.name }, "shutdown step failed");
          return "failed" as const;
        },
      ),
      new Promise<"late">((resolve) => (timer = timers.setTimeout(() => resolve("late"), limit))),
    ]);
    timers.clearTimeout(timer);
    if (outcome === "late") logger.warn({ step: step.name, limitMs: limit }, "shutdown step did not finish in time; left behind");
    else if (outcome === "done") logger.info({ step: step.name }, "shutdown step done");
  }
}
