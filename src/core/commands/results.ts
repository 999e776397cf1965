import type { RefusalCode } from "../policies/decision.js";
import type { DoneResult, RefusedResult } from "./command-result.js";

export const refused = (reasonCode: RefusalCode, message: string): RefusedResult => ({ outcome: "refused", reasonCode, message });
export const done = (message: string, extra: Omit<DoneResult, "outcome" | "message"> = {}): DoneResult => ({ outcome: "done", message, ...extra });
