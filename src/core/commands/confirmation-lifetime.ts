/**
 * How long a Confirm/Cancel prompt may be answered. A prompt is a question about the world as it
 * was when it was asked (the sha, the release it rolls back); a quarter of an hour later the
 * person should look again and ask again, rather than confirm from a scrolled-away message.
 */
export const CONFIRMATION_LIFETIME_MS = 15 * 60_000;

/** When a prompt shown at `askedAt` (ms since the epoch) stops taking answers. */
export function confirmationExpiresAt(askedAt: number): Date {
  return new Date(askedAt + CONFIRMATION_LIFETIME_MS);
}

/** Whether a prompt shown at `askedAt` is too old to confirm at `now`. */
export function confirmationExpired(askedAt: number, now: Date): boolean {
  return now.getTime() >= askedAt + CONFIRMATION_LIFETIME_MS;
}
