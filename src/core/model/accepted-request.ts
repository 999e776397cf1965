/**
 * A request a surface acknowledged before working on it (a Slack command is answered at once, its
 * work follows). It is kept in the store until its work is done, so a crash between the
 * acknowledgement and the end of the work loses nothing: another replica, or this one restarted,
 * works on it again.
 */
export interface AcceptedRequest {
  /** What makes a retry of the same request recognisable: `slack:command:<trigger_id>`, `github:delivery:<id>`. */
  readonly key: string;
  /** Which handler works on it: `slack.command`, `github.merge`, … */
  readonly kind: string;
  /** The request as its handler takes it, as JSON. */
  readonly payload: string;
  readonly receivedAt: string;
  /** How many times a replica has taken it to work on, the first time included. */
  readonly attempts: number;
}

/** How a request's work ended: done, or given up after too many attempts. */
export type RequestOutcome = "done" | "given_up";
