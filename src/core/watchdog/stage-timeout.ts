/** How many of a stage's newest successful runs its default timeout is computed from. */
export const STAGE_HISTORY = 20;
/** The default timeout is this many times the median of those runs … */
const MEDIAN_FACTOR = 3;
/** … and never less than this (also the default of a stage that never succeeded yet). */
export const DEFAULT_TIMEOUT_FLOOR_MS = 15 * 60_000;

/** Where a stage's timeout came from, for the warning's wording. */
export type TimeoutSource = "configured" | "history" | "floor";

export interface StageTimeout {
  readonly ms: number;
  readonly source: TimeoutSource;
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * A configured stage_timeout as it is (however short); else three times the median of the stage's
 * recent successful runs, at least 15 minutes, so a stage that usually takes seconds is not
 * flagged for a slow minute.
 */
export function stageTimeout(configuredMs: number | undefined, recentDurationsMs: readonly number[]): StageTimeout {
  if (configuredMs !== undefined) return { ms: configuredMs, source: "configured" };
  const typical = median(recentDurationsMs);
  if (typical === undefined || typical * MEDIAN_FACTOR <= DEFAULT_TIMEOUT_FLOOR_MS) return { ms: DEFAULT_TIMEOUT_FLOOR_MS, source: "floor" };
  return { ms: Math.round(typical * MEDIAN_FACTOR), source: "history" };
}
