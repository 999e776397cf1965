import { jest } from "@jest/globals";

/**
 * fast-check runs per property: few by default so the suite stays fast; FUZZ_SCALE=20 runs
 * twenty times as many for a deeper hunt (with test timeouts scaled to match), and
 * FUZZ_SEED=<seed printed by a failure> replays one.
 */
const scale = Number(process.env.FUZZ_SCALE) > 0 ? Number(process.env.FUZZ_SCALE) : 1;
if (scale > 1) jest.setTimeout(20_000 * scale);

export function fuzzRuns(defaultRuns: number): { numRuns: number; seed?: number } {
  const seed = Number(process.env.FUZZ_SEED);
  return { numRuns: Math.max(1, Math.round(defaultRuns * scale)), ...(Number.isInteger(seed) ? { seed } : {}) };
}
