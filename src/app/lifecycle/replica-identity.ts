import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { ReplicaClaim } from "../../core/ports/operations-store.js";
import type { Store } from "../../core/ports/store.js";
import { StartupError } from "../settings/startup-error.js";

export interface ReplicaIdentityOptions {
  readonly store: Store;
  readonly id: string;
  readonly now: () => Date;
  /** How long a claim holds without renewal (the lease length: renewed at every sweep). */
  readonly leaseMs: number;
  readonly host?: string;
  readonly pid?: number;
  /** Whether a process of this host is running; default: signal 0. */
  readonly isAlive?: (pid: number) => boolean;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * This process's hold on its replica id (WHISTLESTOP_REPLICA_ID, default the host name). A
 * restarted server takes its id back at once when the previous holder is provably gone (the same
 * host, and its process no longer runs) or its claim has lapsed; with the id come its leases, so
 * its running deploys are followed again without waiting them out. A live holder (another host
 * whose claim is fresh, or a running process on this host) makes start-up stop.
 */
export class ReplicaIdentity {
  readonly instance = randomBytes(8).toString("hex");
  private readonly host: string;
  private readonly pid: number;

  constructor(private readonly options: ReplicaIdentityOptions) {
    this.host = options.host ?? hostname();
    this.pid = options.pid ?? process.pid;
  }

  async claim(): Promise<void> {
    const { store, id, now } = this.options;
    const held = await store.getReplica(id);
    if (held && !this.isGone(held, now())) throw this.heldBy(held);
    const claim: ReplicaClaim = { id, instance: this.instance, host: this.host, pid: this.pid, startedAt: now().toISOString(), heartbeatUntil: this.until() };
    if (!(await store.claimReplica(claim, held?.instance))) {
      const winner = await store.getReplica(id);
      throw winner ? this.heldBy(winner) : new StartupError([`replica id "${id}" changed hands while this server was starting; start it again`]);
    }
  }

  /** At every sweep. False when another process has taken the id (this one was judged gone). */
  renew(): Promise<boolean> {
    return this.options.store.renewReplica(this.options.id, this.instance, new Date(this.until()));
  }

  release(): Promise<void> {
    return this.options.store.releaseReplica(this.options.id, this.instance);
  }

  private isGone(held: ReplicaClaim, now: Date): boolean {
    if (Date.parse(held.heartbeatUntil) <= now.getTime()) return true;
    if (held.host !== this.host) return false;
    // Two live processes of one host never share a pid: a holder with ours is a previous life.
    return held.pid === this.pid || !(this.options.isAlive ?? processIsAlive)(held.pid);
  }

  private until(): string {
    return new Date(this.options.now().getTime() + this.options.leaseMs).toISOString();
  }

  private heldBy(held: ReplicaClaim): StartupError {
    return new StartupError([
      `replica id "${held.id}" is held by a live server (host ${held.host}, pid ${held.pid}, started ${held.startedAt}, claim renewed until ${held.heartbeatUntil}). ` +
        "Give each server its own WHISTLESTOP_REPLICA_ID (default: the host name), or stop the other one; a server that died gives its id up when its claim lapses.",
    ]);
  }
}
