import type { Logger } from "../../core/ports/logger.js";
import type { Store } from "../../core/ports/store.js";

export interface LeaseHandBackOptions {
  readonly store: Pick<Store, "listRunning" | "claimLeases">;
  readonly replicaId: string;
  readonly now: () => Date;
  readonly logger: Logger;
}

/**
 * At a graceful stop, the leases this replica holds on running deploys end now, so the next
 * replica (or this one restarted) follows them at once instead of waiting for them to expire.
 * Only ever shortens this replica's own leases; a failure is logged, and the leases then lapse
 * by themselves.
 */
export function leaseHandBack(options: LeaseHandBackOptions): { handBack(): Promise<void> } {
  const { store, replicaId, now, logger } = options;
  return {
    async handBack() {
      try {
        const mine = (await store.listRunning()).filter((d) => d.ownerId === replicaId).map((d) => d.id);
        const at = now();
        await store.claimLeases(replicaId, mine, at, at);
      } catch (error) {
        logger.warn({ err: error }, "could not hand back deploy leases; another replica takes them over when they expire");
      }
    },
  };
}
