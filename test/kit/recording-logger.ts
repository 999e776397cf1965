import type { Logger } from "../../src/core/ports/logger.js";

export interface LogLine extends Record<string, unknown> {
  readonly level: "info" | "warn" | "error";
  readonly msg: string;
}

/** A Logger that keeps every line (its fields, level and message) for a test to read. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];
  info(fields: object, message = ""): void {
    this.lines.push({ ...fields, level: "info", msg: message });
  }
  warn(fields: object, message = ""): void {
    this.lines.push({ ...fields, level: "warn", msg: message });
  }
  error(fields: object, message = ""): void {
    this.lines.push({ ...fields, level: "error", msg: message });
  }
  /** The messages logged, optionally only those of one level. */
  messages(level?: LogLine["level"]): string[] {
    return this.lines.filter((l) => !level || l.level === level).map((l) => l.msg);
  }
}
