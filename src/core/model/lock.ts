/** A manual lock. `service` or `env` may be "all"; all/all is the global lock. */
export interface Lock {
  readonly service: string;
  readonly env: string;
  /** Display name of the owner. */
  readonly owner: string;
  /** actorKey() of the owner: the owner's own deploys pass the lock. */
  readonly ownerKey: string;
  readonly reason?: string;
  readonly createdAt: string;
  /** Absent: until unlocked. */
  readonly expiresAt?: string;
}

export const ALL = "all";

export function lockCovers(lock: Lock, service: string, env: string): boolean {
  return (lock.service === ALL || lock.service === service) && (lock.env === ALL || lock.env === env);
}

export function lockActive(lock: Lock, now: Date): boolean {
  return lock.expiresAt === undefined || Date.parse(lock.expiresAt) > now.getTime();
}
