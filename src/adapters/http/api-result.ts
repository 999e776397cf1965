import type { CommandResult } from "../../core/commands/command-result.js";

/** The API's JSON for a command result: `record` is for in-process adapters only. */
export function toApiResult(result: CommandResult): Omit<CommandResult, "record"> {
  const { record: _record, results, ...rest } = result;
  return results ? { ...rest, results: results.map(toApiResult) } : rest;
}

export const STORE_UNAVAILABLE_MESSAGE =
  "Whistlestop cannot reach its database, so nothing was changed. Try again in a minute; if it persists, page the SRE on call.";

/** Fail closed: whatever the runner threw, the caller learns nothing was done. */
export const storeUnavailableResult = {
  outcome: "refused",
  reasonCode: "store_unavailable",
  message: STORE_UNAVAILABLE_MESSAGE,
  error: STORE_UNAVAILABLE_MESSAGE,
} as const;
