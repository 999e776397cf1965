import type { ApiCommandResult } from "../../core/commands/api-command-result.js";
import type { CommandResult } from "../../core/commands/command-result.js";
import { STORE_UNAVAILABLE_MESSAGE } from "../../core/commands/store-unavailable.js";

/**
 * The API's JSON for a command result (docs/commands.md, The command result): the same flat shape
 * for every outcome. In-process fields stay in: `record` (the stored deploy) and a confirmation's
 * `question` and `pending` (the API confirms with --yes); an ignored text is `done` with `ignored`.
 */
export function toApiResult(result: CommandResult): ApiCommandResult {
  switch (result.outcome) {
    case "ignored":
      return { outcome: "done", message: "", ignored: true };
    case "refused":
      return { outcome: "refused", reasonCode: result.reasonCode, message: result.message };
    case "started":
    case "queued":
    case "waiting":
      return { outcome: result.outcome, message: result.message, deploy: result.deploy };
    case "done": {
      const { record: _record, results, ...rest } = result;
      return results ? { ...rest, results: results.map(toApiResult) } : rest;
    }
  }
}

/** The reason code of a refusal, for logs and status codes; undefined for anything else. */
export const reasonCodeOf = (result: CommandResult) => (result.outcome === "refused" ? result.reasonCode : undefined);

/** Fail closed: whatever the runner threw, the caller learns nothing was done. */
export const storeUnavailableResult = {
  outcome: "refused",
  reasonCode: "store_unavailable",
  message: STORE_UNAVAILABLE_MESSAGE,
  error: STORE_UNAVAILABLE_MESSAGE,
} as const;
