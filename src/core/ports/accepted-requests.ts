import type { AcceptedRequest, RequestOutcome } from "../model/accepted-request.js";

export type NewAcceptedRequest = Pick<AcceptedRequest, "key" | "kind" | "payload" | "receivedAt">;

/**
 * The store's journal of accepted requests. Like deploys, each unfinished request is leased to
 * one replica: the one that accepted it, until its lease runs out unrenewed (it died).
 */
export interface AcceptedRequestStore {
  /**
   * Records requests in one write, leased to `ownerId` until `leaseEnd`; returns the keys recorded
   * now. Any other key was recorded before (a retry), or earlier in the same batch.
   */
  acceptRequests(requests: readonly NewAcceptedRequest[], ownerId: string, leaseEnd: Date): Promise<string[]>;
  /** The request's work ended; it is never taken again. */
  finishRequest(key: string, at: Date, outcome: RequestOutcome): Promise<void>;
  /**
   * Moves the lease end of the unfinished requests `ownerId` holds: those in `keys` (renewing what
   * it is working on), or all of them (`until` = now hands them back).
   */
  extendRequestLeases(ownerId: string, until: Date, keys?: readonly string[]): Promise<void>;
  /** Takes up to `limit` unfinished requests whose lease ran out, oldest first, counting an attempt on each. */
  claimRequests(ownerId: string, now: Date, leaseEnd: Date, limit: number): Promise<AcceptedRequest[]>;
  /** Forgets requests finished before `before`; returns how many. */
  pruneRequests(before: Date): Promise<number>;
}
