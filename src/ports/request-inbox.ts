/** Works on one kind of accepted request; the same function serves its first run and every replay. */
export type RequestHandler = (payload: unknown) => Promise<void>;

export type Acceptance = "accepted" | "duplicate";

/**
 * What a surface needs from the app's request inbox: a request is recorded before it is
 * acknowledged, so a crash after the ack loses nothing (a sweep works on it again through the
 * same handler). The app's store-backed RequestInbox implements it.
 */
export interface RequestInbox {
  /** How requests of `kind` are worked on; each surface registers its kinds when it is built. */
  handle(kind: string, handler: RequestHandler): void;
  /**
   * Records a request before it is acknowledged. "duplicate" means it was accepted before (a retry,
   * a redelivery): acknowledge it and do nothing. Rejects when the store cannot record it: the
   * surface must then tell the user that nothing was done (fail closed).
   */
  accept(key: string, kind: string, payload: unknown): Promise<Acceptance>;
  /**
   * Works on an accepted request and marks it finished. True when it finished; a failure is
   * logged and leaves the request for a sweep to work on again.
   */
  work(key: string, kind: string, payload: unknown): Promise<boolean>;
}
