import { hostname } from "node:os";
import { pino, stdSerializers, type DestinationStream, type Logger } from "pino";
import { CENSOR, redactFields } from "./log-redaction.js";

export type { Logger } from "pino";

export interface LoggerOptions {
  /** Default: LOG_LEVEL, else "info". */
  readonly level?: string;
  /** Where lines go (tests pass a stream that collects them); default stdout. */
  readonly destination?: DestinationStream;
  /** Fields added to every line (after app, pid and hostname, which tell replicas apart). */
  readonly base?: Record<string, unknown>;
}

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

/** Errors are serialised before redaction, as pino would, so their own fields are redacted too. */
function withSerializedErrors(object: Record<string, unknown>): Record<string, unknown> {
  if (object.err === undefined && object.error === undefined) return object;
  return { ...object, ...(object.err !== undefined ? { err: serializeError(object.err) } : {}), ...(object.error !== undefined ? { error: serializeError(object.error) } : {}) };
}

/** The process logger: JSON lines, secrets redacted from fields (log-redaction.ts), messages and errors. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      base: { app: "whistlestop", pid: process.pid, hostname: hostname(), ...options.base },
      serializers: { err: serializeError, error: serializeError },
      formatters: {
        log: (object) => redactFields(withSerializedErrors(object)),
        bindings: (bindings) => redactFields(bindings),
      },
      hooks: {
        logMethod(args, method) {
          // Strings are scrubbed; objects after the first are values put into the message (%o, %j).
          const scrubbed = args.map((arg, i) => (typeof arg === "string" ? redactText(arg) : i > 0 ? redactFields(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination(1),
  );
  // pino runs the bindings formatter for the root logger only; a child's bindings (Probot's, a
  // request's) are redacted here. Children inherit this method, so grandchildren are covered too.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, redactFields(bindings), childOptions);
  } as Logger["child"];
  return logger;
}
