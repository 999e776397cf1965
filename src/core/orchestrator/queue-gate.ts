import type { Deploy } from "../model/deploy.js";
import type { ReasonCode } from "../policies/decision.js";

/** What a queued deploy at the head of its queue may do now (it is checked against the policies again when its turn comes). */
export type GateVerdict =
  | { readonly kind: "go" }
  /** A window is open: stay at the head of the queue and say so. */
  | { readonly kind: "wait"; readonly reasonCode: ReasonCode; readonly reason: string; readonly until?: string }
  /** The deploy can no longer start (a lock, promotion, a target gone from the configuration): cancel it with the reason. */
  | { readonly kind: "drop"; readonly reasonCode: ReasonCode; readonly reason: string };

export interface QueueGate {
  check(head: Deploy): Promise<GateVerdict>;
}
