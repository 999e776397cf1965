import type { NotificationQueue } from "../../core/orchestrator/notification-queue.js";
import type { Logger } from "../../core/ports/logger.js";
import type { Surface } from "../../ports/surface.js";
import type { Timers } from "../../ports/timers.js";
import type { RunningHttpServer } from "../http-server.js";
import type { FreezeReconciler } from "../freeze-reconciler.js";
import type { ProgressTracker } from "../progress-tracker.js";
import type { RequestInbox } from "../request-inbox.js";
import type { RetentionDuty } from "../retention-duty.js";
import type { ReminderDuty } from "../reminder-duty.js";
import type { WatchdogDuty } from "../watchdog-duty.js";
import type { ReplicaIdentity } from "./replica-identity.js";
import type { ShutdownStep } from "./run-shutdown.js";

/** What a graceful stop stops, drains or hands back. */
export interface ShutdownParts {
  readonly http: Pick<RunningHttpServer, "drain">;
  readonly tracker: Pick<ProgressTracker, "stop">;
  readonly freezes: Pick<FreezeReconciler, "stop">;
  readonly retention: Pick<RetentionDuty, "stop">;
  readonly reminders: Pick<ReminderDuty, "stop">;
  readonly watchdog: Pick<WatchdogDuty, "stop">;
  readonly notifications: Pick<NotificationQueue, "idleWithin">;
  /** Reports held back while the process was busy; at shutdown they go out at once. */
  readonly pacer?: { release(): void };
  /** Change sets still being compared; their card edits are among the reports delivered next. */
  readonly changeSets?: { idle(): Promise<void> };
  /** Ends the leases this replica holds on running deploys (a graceful stop's hand-back). */
  readonly leases: { handBack(): Promise<void> };
  readonly identity: Pick<ReplicaIdentity, "release">;
  readonly surfaces: ReadonlyArray<Pick<Surface, "name" | "stop">>;
  readonly inbox: Pick<RequestInbox, "idle" | "handBack">;
}

/** The most a graceful stop waits for change sets still being compared. */
const CHANGE_SET_SHUTDOWN_MS = 3_000;

/**
 * The order of a graceful stop. First nothing new comes in (HTTP drained), then in-flight work
 * ends within the deadline (polls, freezes, retention, reports). Then, always and even past the
 * deadline, everything this replica holds is handed back, so the next replica (or this one
 * restarted) takes it over at once instead of waiting for leases to expire.
 */
export function shutdownSteps(parts: ShutdownParts, options: { readonly timers: Timers; readonly logger: Logger; readonly reportsMs: number }): ShutdownStep[] {
  const { timers, logger, reportsMs } = options;
  const sleep = (ms: number) => new Promise<void>((resolve) => timers.setTimeout(resolve, ms));
  return [
    { name: "http drained", run: () => parts.http.drain() },
    // In-flight polls are waited for only until the deadline: an unanswered one is left behind.
    { name: "tracker stopped", run: () => parts.tracker.stop() },
    { name: "freezes stopped", run: () => parts.freezes.stop() },
    { name: "retention stopped", run: () => parts.retention.stop() },
    // A reminder being posted is let finish; one cut off is sent by another replica once its claim runs out.
    { name: "reminders stopped", run: () => parts.reminders.stop() },
    { name: "watchdog stopped", run: () => parts.watchdog.stop() },
    ...(parts.changeSets ? [changeSetsStep(parts.changeSets, sleep)] : []),
    {
      name: "reports delivered",
      run: async (remainingMs) => {
        parts.pacer?.release();
        if (!(await parts.notifications.idleWithin(Math.min(reportsMs, remainingMs), sleep))) {
          logger.warn({}, "some reports were still being delivered; they are sent again after the restart");
        }
      },
    },
    { name: "leases handed back", run: () => parts.leases.handBack(), always: true },
    { name: "replica id released", run: () => parts.identity.release(), always: true },
    ...parts.surfaces.map((surface): ShutdownStep => ({ name: `${surface.name} stopped`, run: async () => surface.stop?.(), always: true })),
    {
      name: "accepted requests handed back",
      always: true,
      run: async () => {
        await parts.inbox.idle();
        await parts.inbox.handBack().catch((error: unknown) => logger.warn({ err: error }, "could not hand back accepted requests; another replica takes them when their leases expire"));
      },
    },
  ];
}

/** A compare still out is waited for briefly: a change set is a nicety, never worth a slow stop. */
function changeSetsStep(changeSets: { idle(): Promise<void> }, sleep: (ms: number) => Promise<void>): ShutdownStep {
  return { name: "change sets recorded", run: (remainingMs) => Promise.race([changeSets.idle(), sleep(Math.min(CHANGE_SET_SHUTDOWN_MS, remainingMs))]) };
}
