import type { AcceptedRequest } from "../core/model/accepted-request.js";
import type { AcceptedRequestStore, NewAcceptedRequest } from "../core/ports/accepted-requests.js";
import type { Clock } from "../core/ports/clock.js";
import type { Logger } from "../core/ports/logger.js";
import type { Acceptance, RequestHandler, RequestInbox as RequestInboxPort } from "../ports/request-inbox.js";

export interface RequestInboxDeps {
  readonly store: AcceptedRequestStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly replicaId: string;
  /** How long an unrenewed claim holds; another replica works on the request after that. */
  readonly leaseMs: number;
  /** Attempts after which a request that keeps failing is given up (logged as an error). Default 5. */
  readonly maxAttempts?: number;
  /** How long finished requests are kept (a redelivery within it is recognised). Default 7 days. */
  readonly keepFinishedMs?: number;
}

/** Requests taken over per sweep; the rest wait for the next one. */
const CLAIM_BATCH = 100;

/**
 * Requests a surface acknowledges before working on them (a crash at any point must lose no
 * accepted request). `accept` records the request in the store before the surface answers;
 * `work` runs its handler and marks it finished. What a crash, a failure or a dead replica leaves
 * unfinished is worked on again by a sweep once its lease has run out, through the same handler:
 * handlers are idempotent (deploys carry the request's idempotency key), so a replay does not
 * deploy twice, and a user who was told "accepted" always hears back.
 */
export class RequestInbox implements RequestInboxPort {
  private readonly handlers = new Map<string, RequestHandler>();
  /** What this replica is working on now, by key: only these leases are renewed. */
  private readonly inFlight = new Map<string, Promise<boolean>>();
  /** Accepted requests waiting for the next write. */
  private unrecorded: Array<{ request: NewAcceptedRequest; resolve: (acceptance: Acceptance) => void; reject: (error: unknown) => void }> = [];

  constructor(private readonly deps: RequestInboxDeps) {}

  /** How requests of `kind` are worked on; each surface registers its kinds when it is built. */
  handle(kind: string, handler: RequestHandler): void {
    if (this.handlers.has(kind)) throw new Error(`a handler for ${kind} requests is registered already`);
    this.handlers.set(kind, handler);
  }

  /**
   * Records a request before it is acknowledged. "duplicate" means it was accepted before (a retry,
   * a redelivery): acknowledge it and do nothing. Throws when the store cannot record it: the
   * surface must then tell the user that nothing was done (fail closed).
   */
  accept(key: string, kind: string, payload: unknown): Promise<Acceptance> {
    if (!this.handlers.has(kind)) return Promise.reject(new Error(`no handler for ${kind} requests`));
    const request = { key, kind, payload: JSON.stringify(payload), receivedAt: this.deps.clock.now().toISOString() };
    return new Promise((resolve, reject) => {
      this.unrecorded.push({ request, resolve, reject });
      // Requests that arrive in the same turn of the event loop are recorded in one write: under
      // a burst, one transaction for dozens of acks instead of one each.
      if (this.unrecorded.length === 1) setImmediate(() => void this.record());
    });
  }

  /**
   * Works on an accepted request and marks it finished. True when it finished; a failure is
   * logged and leaves the request for a sweep to work on again once its lease runs out.
   */
  work(key: string, kind: string, payload: unknown): Promise<boolean> {
    const running = this.run(key, kind, payload);
    this.inFlight.set(key, running);
    void running.finally(() => {
      if (this.inFlight.get(key) === running) this.inFlight.delete(key);
    });
    return running;
  }

  /**
   * Renews the leases of what this replica is working on, and takes over the requests whose lease
   * ran out: a dead replica's, one whose work failed (tried again), or after `restarted` this
   * replica's own from before the restart (a replica that keeps its id — SQLite — hands those
   * back first, since none of them runs now). The work taken over runs in the background.
   */
  async sweep(options: { restarted?: boolean } = {}): Promise<number> {
    const { store, clock, replicaId } = this.deps;
    const now = clock.now();
    if (options.restarted) await store.extendRequestLeases(replicaId, now);
    if (this.inFlight.size > 0) await store.extendRequestLeases(replicaId, this.leaseEnd(), [...this.inFlight.keys()]);
    const taken = await store.claimRequests(replicaId, now, this.leaseEnd(), CLAIM_BATCH);
    for (const request of taken) void this.replay(request);
    await store.pruneRequests(new Date(now.getTime() - (this.deps.keepFinishedMs ?? 7 * 24 * 3_600_000)));
    return taken.length;
  }

  /** Resolves when nothing is being worked on (graceful shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Graceful shutdown: what this replica still holds goes to the next replica at once. */
  async handBack(): Promise<void> {
    await this.deps.store.extendRequestLeases(this.deps.replicaId, this.deps.clock.now());
  }

  private async record(): Promise<void> {
    const batch = this.unrecorded;
    this.unrecorded = [];
    try {
      const recorded = new Set(await this.deps.store.acceptRequests(batch.map((b) => b.request), this.deps.replicaId, this.leaseEnd()));
      // A key twice in one batch: the first copy is the request, the second a duplicate of it.
      for (const { request, resolve } of batch) resolve(recorded.delete(request.key) ? "accepted" : "duplicate");
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }

  private async replay(request: AcceptedRequest): Promise<void> {
    const { logger } = this.deps;
    const maxAttempts = this.deps.maxAttempts ?? 5;
    const fields = { key: request.key, kind: request.kind, attempt: request.attempts, receivedAt: request.receivedAt };
    if (request.attempts > maxAttempts) {
      logger.error(fields, "gave up on an accepted request that kept failing; its user was not answered — see the earlier warnings for why");
      await this.deps.store.finishRequest(request.key, this.deps.clock.now(), "given_up").catch(() => undefined);
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(request.payload);
    } catch {
      logger.error(fields, "an accepted request's stored payload is not JSON; giving it up");
      await this.deps.store.finishRequest(request.key, this.deps.clock.now(), "given_up").catch(() => undefined);
      return;
    }
    logger.info(fields, "working on an accepted request that a restart, a failure or another replica left unfinished");
    await this.work(request.key, request.kind, payload);
  }

  private async run(key: string, kind: string, payload: unknown): Promise<boolean> {
    const handler = this.handlers.get(kind);
    try {
      if (!handler) throw new Error(`no handler for ${kind} requests`);
      await handler(payload);
    } catch (error) {
      this.deps.logger.warn({ err: error, key, kind }, "an accepted request failed; it is tried again once its lease runs out");
      return false;
    }
    try {
      await this.deps.store.finishRequest(key, this.deps.clock.now(), "done");
      return true;
    } catch (error) {
      // The work is done; a replay finds it done (idempotent) and says so.
      this.deps.logger.warn({ err: error, key, kind }, "could not mark an accepted request finished; it may be worked on again");
      return false;
    }
  }

  private leaseEnd(): Date {
    return new Date(this.deps.clock.now().getTime() + this.deps.leaseMs);
  }
}
