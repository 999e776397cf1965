import type { Deploy } from "../model/deploy.js";

/**
 * Whether replica `replicaId` may re-send a deploy's unreported state: its own deploys at once
 * (their events run one at a time there); another replica's once that replica's lease ran out (it
 * died, or has stopped renewing since the deploy ended); a deploy nobody owns (queued) once a
 * lease's time has passed since it last changed, time enough for whichever replica changed it to
 * report it.
 */
export function mayReport(deploy: Deploy, replicaId: string, now: number, leaseMs: number): boolean {
  if (deploy.ownerId === replicaId) return true;
  if (deploy.ownerId) return !deploy.leaseExpiresAt || Date.parse(deploy.leaseExpiresAt) <= now;
  const changedAt = Math.max(...[deploy.requestedAt, deploy.startedAt, deploy.finishedAt].map((at) => (at ? Date.parse(at) : 0)));
  return now - changedAt >= leaseMs;
}
