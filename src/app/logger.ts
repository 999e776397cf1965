import { hostname } from "node:os";
import { pino, stdSerializers, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  /** Default: LOG_LEVEL, else "info". */
  readonly level?: string;
  /** Where lines go (tests pass a stream that collects them); default stdout. */
  readonly destination?: DestinationStream;
  /** Fields added to every line (after app, pid and hostname, which tell replicas apart). */
  readonly base?: Record<string, unknown>;
}

const CENSOR = "[REDACTED]";

/** Field names whose values are secrets wherever they appear in a log object. */
const SECRET_KEYS = [
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
];

/** Headers that carry credentials or signatures. */
const SECRET_HEADERS = ["authorization", "cookie", "x-slack-signature", "x-hub-signature", "x-hub-signature-256", "x-whistlestop-token"];

/**
 * pino redaction paths have a fixed depth, so each secret key is listed at the top level
 * and one and two levels down; headers are listed under the places request objects are logged.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  ...SECRET_HEADERS.flatMap((header) => [
    `headers["${header}"]`,
    `req.headers["${header}"]`,
    `request.headers["${header}"]`,
    `*.headers["${header}"]`,
  ]),
];

const TEXT_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, "[REDACTED PRIVATE KEY]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi, `$1 ${CENSOR}`],
  // token=…, "password": "…", secret: …
  [/\b((?:api[_-]?)?token|secret|password)(["']?\s*[:=]\s*["']?)[^\s"'&,;]+/gi, `$1$2${CENSOR}`],
  [/\bx(?:ox[abposre]|app)-[A-Za-z0-9-]+/g, CENSOR],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, CENSOR],
  [/\bAKIA[0-9A-Z]{16}\b/g, CENSOR],
  // Credentials inside URLs: postgres://user:password@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${CENSOR}@`],
];

/** Scrubs credentials from free text (error messages, stack traces, echoed input). */
export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/** Error messages from drivers and SDKs can echo URLs or headers, so they are scrubbed too. */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return typeof error === "string" ? redactText(error) : error;
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  for (const key of ["message", "stack"]) {
    const value = serialized[key];
    if (typeof value === "string") serialized[key] = redactText(value);
  }
  return serialized;
}

/** The process logger: JSON lines, secrets redacted from fields, messages and errors. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      base: { app: "whistlestop", pid: process.pid, hostname: hostname(), ...options.base },
      redact: { paths: [...REDACT_PATHS], censor: CENSOR },
      serializers: { err: serializeError, error: serializeError },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === "string" ? redactText(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination(1),
  );
}
