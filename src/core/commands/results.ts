import type { ReasonCode } from "../policies/decision.js";
import type { CommandResult } from "./command-result.js";

export const refused = (reasonCode: ReasonCode, message: string): CommandResult => ({ outcome: "refused", reasonCode, message });
export const done = (message: string, extra: Partial<CommandResult> = {}): CommandResult => ({ outcome: "done", message, ...extra });
