import type { CommandResult } from "../../core/commands/command-result.js";
import { STORE_UNAVAILABLE_MESSAGE } from "../../core/commands/store-unavailable.js";

/** The API's JSON for a command result: `record` is for in-process adapters only. */
export function toApiResult(result: CommandResult): Omit<CommandResult, "record"> {
  const { record: _record, results, ...rest } = result;
  return results ? { ...rest, results: results.map(toApiResult) } : rest;
}

/** Fail closed: whatever the runner threw, the caller learns nothing was done. */
export const storeUnavailableResult = {
  outcome: "refused",
  reasonCode: "store_unavailable",
  message: STORE_UNAVAILABLE_MESSAGE,
  error: STORE_UNAVAILABLE_MESSAGE,
} as const;
