/**
 * Lets background work (reports to Slack and GitHub, the dashboard's live events) step aside
 * while the process is saturated with requests, so acknowledgements and pipeline starts go
 * first. `turn()` resolves when the work may run: at once on a process with time to spare, and
 * never later than a bounded delay, so a busy moment delays reports but never silences them.
 */
export interface Pacer {
  turn(): Promise<void>;
  /** Gives every waiting turn now (a graceful stop sends the reports still held back). */
  release(): void;
}

/** Every turn at once: for tests that step through a deploy and read its reports right after. */
export const noPacing: Pacer = { turn: () => Promise.resolve(), release: () => {} };
