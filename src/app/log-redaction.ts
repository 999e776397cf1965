/** The censor that replaces a secret value in a log line. */
export const CENSOR = "[REDACTED]";

/** Field names whose values are secrets wherever they appear in a log object (up to two levels down). */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  "authorization",
  "token",
  "password",
  "privateKey",
  "secret",
  "apiTokens",
  "botToken",
  "appToken",
  "signingSecret",
  "webhookSecret",
  "clientSecret",
  "pipelineEventsToken",
  "databaseUrl",
  "PRIVATE_KEY",
  "WEBHOOK_SECRET",
  "SLACK_BOT_TOKEN",
  "SLACK_APP_TOKEN",
  "SLACK_SIGNING_SECRET",
  "PIPELINE_EVENTS_TOKEN",
  "WHISTLESTOP_API_TOKENS",
  "DATABASE_URL",
  "GITHUB_CLIENT_SECRET",
]);

/** Headers that carry credentials or signatures, censored in a `headers` object at the top level or one level down (req.headers). */
export const SECRET_HEADERS: ReadonlySet<string> = new Set(["authorization", "cookie", "x-slack-signature", "x-hub-signature", "x-hub-signature-256", "x-whistlestop-token"]);

/** How far down secret keys are looked for: the top level, and one and two levels down. */
const DEEPEST = 2;
/** How far down a `headers` object is looked for: the top level and one level down. */
const DEEPEST_HEADERS = 1;

/**
 * A log object with its secret fields censored: a key of SECRET_KEYS at the top level or one or
 * two levels down, and a credential header in `headers` at the top level or one level down. The
 * caller's objects are never changed; only the objects on the way to a censored value are copied,
 * and a line with no secret in it costs one walk over its first levels (a few microseconds).
 * pino's path redaction did the same with one wildcard path per key and level, which ran every
 * value of every line through about fifty paths (some 170 µs a line).
 */
export function redactFields<T>(value: T): T {
  return censorLevel(value, 0) as T;
}

function censorLevel(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null) return value;
  const source = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(source)) {
    const child = source[key];
    let next: unknown;
    if (SECRET_KEYS.has(key)) {
      next = CENSOR;
    } else {
      next = depth < DEEPEST ? censorLevel(child, depth + 1) : child;
      if (key === "headers" && depth <= DEEPEST_HEADERS) next = censorHeaders(next);
    }
    if (next !== child) {
      copy ??= Array.isArray(source) ? ([...source] as unknown as Record<string, unknown>) : { ...source };
      copy[key] = next;
    }
  }
  return copy ?? value;
}

function censorHeaders(headers: unknown): unknown {
  if (typeof headers !== "object" || headers === null) return headers;
  const source = headers as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(source)) {
    if (!SECRET_HEADERS.has(key)) continue;
    copy ??= { ...source };
    copy[key] = CENSOR;
  }
  return copy ?? headers;
}
