/**
 * What every surface tells a person when the store does not answer (reason code
 * `store_unavailable`): Whistlestop fails closed, so nothing was changed, and says what to do.
 * Written once here so Slack, the HTTP API, the CLI and the Action read the same.
 */
export const STORE_UNAVAILABLE_MESSAGE =
  "Whistlestop cannot reach its database, so nothing was changed. Try again in a minute; if it persists, page the SRE on call.";

/** The same for a request that only reads (a listing, a stream, a token check): there was nothing to change. */
export const STORE_UNAVAILABLE_READ_MESSAGE = "Whistlestop cannot reach its database. Try again in a minute; if it persists, page the SRE on call.";
