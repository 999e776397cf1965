/** CodePipeline's limits on the free text Whistlestop sends. */
export const TRANSITION_REASON_MAX = 300;
export const STOP_REASON_MAX = 200;
export const VARIABLE_VALUE_MAX = 1000;

/** Cuts to `max` UTF-16 units (how AWS counts) without splitting a character. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = "";
  for (const char of text) {
    if (kept.length + char.length > max - 3) break;
    kept += char;
  }
  return kept + "...";
}

/**
 * A stage-transition reason may hold only letters, digits, spaces and !@().*?- (at most 300).
 * Path-like separators become "-", anything else a space: "Election night: all/prod" → "Election night all-prod".
 */
export function sanitizeTransitionReason(reason: string): string {
  const cleaned = reason
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[_/\\|]/g, "-")
    .replace(/[^a-zA-Z0-9!@ ().*?-]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return truncate(cleaned || "Disabled by Whistlestop", TRANSITION_REASON_MAX);
}

export function limitStopReason(reason: string): string {
  return truncate(reason.trim(), STOP_REASON_MAX);
}

export function limitVariableValue(value: string): string {
  return truncate(value, VARIABLE_VALUE_MAX) || "-";
}
