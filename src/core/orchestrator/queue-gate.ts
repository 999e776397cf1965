import type { Deploy } from "../model/deploy.js";

/** What a queued deploy at the head of its queue may do now (it is checked against the policies again when its turn comes). */
export type GateVerdict =
  | { readonly kind: "go" }
  /** A window is open: stay at the head of the queue and say so. */
  | { readonly kind: "wait"; readonly reason: string; readonly until?: string }
  /** The deploy can no longer start (a lock, promotion): cancel it with the reason. */
  | { readonly kind: "drop"; readonly reason: string };

export interface QueueGate {
  check(head: Deploy): Promise<GateVerdict>;
}
