/**
 * Edit distance (insertions, deletions, substitutions, adjacent swaps), giving up once it
 * must exceed `limit`; three rolling rows keep it cheap across hundreds of candidates.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, beforePrevious[j - 2]! + 1);
      current[j] = best;
      rowBest = Math.min(rowBest, best);
    }
    if (rowBest > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}

const MAX_CANDIDATES = 500;

/** How many edits still count as a typo of a word this long. */
const allowedEdits = (length: number): number => Math.max(1, Math.min(3, Math.floor(length / 3)));

/**
 * The known word a typo most likely meant, or undefined when nothing is close enough to be a
 * useful hint. Case and `-`/`_` differences count as near-misses (`sourceAction` → `source_action`).
 */
export function closestMatch(word: string, known: Iterable<string>): string | undefined {
  const candidates = [...known];
  // A guess among thousands of names is noise, and comparing with each of them for every typo is slow.
  if (candidates.length > MAX_CANDIDATES) return undefined;
  const normalise = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, "");
  const target = normalise(word);
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const limit = allowedEdits(Math.max(word.length, candidate.length));
    const distance = editDistance(target, normalise(candidate), limit);
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** ` (did you mean "stages"?)` or nothing. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const match = closestMatch(word, known);
  return match === undefined ? "" : ` (did you mean "${match}"?)`;
}
