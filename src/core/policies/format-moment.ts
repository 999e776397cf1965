import { formatInZone } from "../time/zoned-time.js";

/**
 * `later` as text, short when it falls on the same local day as `earlier`
 * ("18:00 EST" after "Tue Nov 3 14:02 EST"), so messages stay readable.
 */
export function formatMoment(later: Date, timeZone: string, earlier?: Date): string {
  // A malformed stored time must not turn a refusal into a crash.
  if (Number.isNaN(later.getTime())) return "an unknown time";
  if (earlier && Number.isNaN(earlier.getTime())) earlier = undefined;
  const full = formatInZone(later, timeZone);
  if (!earlier) return full;
  const day = (text: string): string => text.split(" ").slice(0, 3).join(" ");
  return day(formatInZone(earlier, timeZone)) === day(full) ? full.split(" ").slice(3).join(" ") : full;
}
