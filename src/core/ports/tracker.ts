/**
 * Follows running executions and calls back into the orchestrator (one scheduler for all of
 * them; see src/app/progress-tracker.ts). The core only says what to follow.
 */
export interface Tracker {
  track(deployId: string): void;
  untrack(deployId: string): void;
}

export const noTracker: Tracker = { track: () => {}, untrack: () => {} };
