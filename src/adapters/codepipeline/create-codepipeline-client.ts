import { CodePipelineClient, type CodePipelineClientConfig } from "@aws-sdk/client-codepipeline";
import { BackoffRetryStrategy, type BackoffSettings } from "./backoff-retry-strategy.js";

export interface CodePipelineClientOptions extends Partial<BackoffSettings> {
  /** Anything else for the SDK client (region, endpoint, credentials); unset values come from the SDK's own chain. */
  readonly clientConfig?: Omit<CodePipelineClientConfig, "retryStrategy" | "maxAttempts" | "retryMode">;
}

/**
 * A dependency that stops answering must produce an error, not a hang: a connection gets 3 s,
 * a request 15 s (then the retry strategy decides). Shared by the CodePipeline and STS clients.
 */
export const AWS_HTTP_TIMEOUTS = { connectionTimeout: 3_000, requestTimeout: 15_000 } as const;

/**
 * The SDK client Whistlestop uses. Region, credentials and AWS_ENDPOINT_URL_CODEPIPELINE come from
 * the SDK's usual settings; retries default to 5 attempts with jittered backoff (100 ms base, 1 s
 * for throttling, 20 s cap), or AWS_MAX_ATTEMPTS when set.
 */
export function createCodePipelineClient(options: CodePipelineClientOptions = {}): CodePipelineClient {
  const fromEnv = Number(process.env.AWS_MAX_ATTEMPTS);
  const maxAttempts = options.maxAttempts ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 5);
  const retryStrategy = new BackoffRetryStrategy({
    maxAttempts,
    baseDelayMs: options.baseDelayMs ?? 100,
    throttlingBaseDelayMs: options.throttlingBaseDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 20_000,
    random: options.random,
  });
  // Nothing adds middleware after construction, so each command's handler chain is built once
  // instead of on every call (about a quarter of the SDK's own CPU per call).
  return new CodePipelineClient({ cacheMiddleware: true, requestHandler: AWS_HTTP_TIMEOUTS, ...options.clientConfig, maxAttempts, retryStrategy });
}
