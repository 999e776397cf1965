import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";

/**
 * One output in the runner's multi-line file syntax (`name<<DELIM`, the value, `DELIM`). The
 * delimiter is random so a value can never end the block early; a value that contains it anyway
 * is refused rather than written wrong.
 */
export function formatOutput(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`The output "${name}" contains its delimiter; not writing it.`);
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** Appends outputs to $GITHUB_OUTPUT; false when there is no such file (run outside Actions). */
export function appendOutputs(path: string | undefined, outputs: Readonly<Record<string, string>>): boolean {
  if (!path) return false;
  appendFileSync(path, Object.entries(outputs).map(([name, value]) => formatOutput(name, value)).join(""), "utf8");
  return true;
}

/** Appends Markdown to $GITHUB_STEP_SUMMARY; false when there is no such file. */
export function appendSummary(path: string | undefined, markdown: string): boolean {
  if (!path) return false;
  appendFileSync(path, markdown.endsWith("\n") ? markdown : `${markdown}\n`, "utf8");
  return true;
}
