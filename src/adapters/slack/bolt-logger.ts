import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";

/** The subset of pino the adapter uses. */
export interface PinoLike {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** Bolt and the WebClient log through Whistlestop's logger (and its redaction), tagged `slack`. */
export function boltLogger(logger: PinoLike): BoltLogger {
  let level = LogLevel.INFO;
  const line = (write: (fields: object, message?: string) => void) => (...parts: unknown[]) => {
    const error = parts.find((p): p is Error => p instanceof Error);
    const text = parts.filter((p) => !(p instanceof Error)).map((p) => (typeof p === "string" ? p : safeJson(p))).join(" ");
    write({ component: "slack", ...(error ? { err: error } : {}) }, text);
  };
  return {
    debug: line((f, m) => logger.debug(f, m)),
    info: line((f, m) => logger.info(f, m)),
    warn: line((f, m) => logger.warn(f, m)),
    error: line((f, m) => logger.error(f, m)),
    setLevel: (next) => void (level = next),
    getLevel: () => level,
    setName: () => {},
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
