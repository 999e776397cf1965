export interface BackoffSettings {
  /** Attempts in total, the first included. */
  readonly maxAttempts: number;
  /** Base of the exponential backoff for 5xx and network errors. */
  readonly baseDelayMs: number;
  /** Base for throttling errors: backing off harder is what relieves a throttled account. */
  readonly throttlingBaseDelayMs: number;
  readonly maxDelayMs: number;
  /** Source of jitter; injectable so tests are deterministic. */
  readonly random?: () => number;
}

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/** The part of the SDK's RetryErrorInfo this strategy reads. */
interface RetryErrorInfo {
  readonly errorType: "TRANSIENT" | "THROTTLING" | "SERVER_ERROR" | "CLIENT_ERROR";
  readonly retryAfterHint?: Date;
}

const token = (count: number, delay: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay });

/**
 * The SDK's retry contract (RetryStrategyV2) with full-jitter exponential backoff whose bases are
 * configurable: the SDK's own standard strategy fixes throttling backoff at one second, which
 * makes retry tests slow. Throttling, transient and 5xx errors are retried; client errors are not.
 * The SDK middleware sleeps for the returned token's delay before the next attempt.
 */
export class BackoffRetryStrategy {
  readonly mode = "standard";
  private readonly random: () => number;

  constructor(private readonly settings: BackoffSettings) {
    this.random = settings.random ?? Math.random;
  }

  async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    return token(0, 0);
  }

  async refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const attempt = previous.getRetryCount() + 1;
    if (info.errorType === "CLIENT_ERROR" || attempt >= this.settings.maxAttempts) {
      // The SDK rethrows the original error when no token is given.
      throw new Error("no retry");
    }
    const base = info.errorType === "THROTTLING" ? this.settings.throttlingBaseDelayMs : this.settings.baseDelayMs;
    let delay = Math.floor(this.random() * Math.min(this.settings.maxDelayMs, base * 2 ** (attempt - 1)));
    if (info.retryAfterHint) delay = Math.max(delay, Math.min(this.settings.maxDelayMs, info.retryAfterHint.getTime() - Date.now()));
    return token(attempt, delay);
  }

  recordSuccess(_token: RetryToken): void {}
}
