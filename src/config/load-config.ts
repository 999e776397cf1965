import { readFile } from "node:fs/promises";
import { LineCounter, parseDocument, type Document } from "yaml";
import type { WhistlestopConfig } from "../core/model/config.js";
import { renderProblem, type ConfigProblem } from "./config-problem.js";
import { crossCheck } from "./cross-checks.js";
import { duplicateKeyProblems } from "./duplicate-keys.js";
import { parseSections } from "./parse-sections.js";
import { toCoreConfig } from "./to-core-config.js";
import { lineOfPath } from "./yaml-locations.js";

export type ConfigResult = { ok: true; config: WhistlestopConfig } | { ok: false; problems: string[] };

export const DEFAULT_CONFIG_PATH = "./whistlestop.yml";

/** Where the configuration lives: WHISTLESTOP_CONFIG, else ./whistlestop.yml. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.WHISTLESTOP_CONFIG?.trim() || DEFAULT_CONFIG_PATH;
}

/** Start-up stops with this: `problems` are the lines to show, each naming file, line and field. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

// Aliases let a small file expand enormously; a real config needs few if any.
const MAX_ALIASES = 100;
const TOO_MANY_ALIASES = `uses aliases (*name) more than ${MAX_ALIASES} times once expanded; write the repeated settings out instead of nesting aliases`;
const TOO_DEEP = "YAML syntax error: the document is nested too deeply to read; whistlestop.yml needs only a few levels";
// A value echoed in a problem (a pasted blob as a time zone, a key as long) must not make the message unreadable.
const LONG_QUOTE = /"([^"\n]{100})[^"\n]{20,}"/g;
const LONG_WORD = /([^\s"]{100})[^\s".:[\]]{20,}/g;

// A configuration for hundreds of services is well under 100 KiB; a bigger file is the wrong file,
// and validating one that large would take long enough to look like a hang.
export const MAX_CONFIG_BYTES = 256 * 1024;

/** A key may hold a line break ("a\nb": or a complex key); each problem stays on one line of the output. */
const ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const oneLine = (text: string): string =>
  text.replace(/\p{Cc}|[\u2028\u2029]/gu, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

const isStackOverflow = (message: string): boolean => /maximum call stack size exceeded/i.test(message);

function render(fileName: string, doc: Document, counter: LineCounter, problems: readonly ConfigProblem[]): string[] {
  const located = problems.map((problem, order) => ({
    order,
    line: problem.line ?? lineOfPath(doc, counter, problem.path, problem.at),
    problem,
  }));
  located.sort((a, b) => a.line - b.line || a.order - b.order);
  return [...new Set(located.map(({ line, problem }) => oneLine(renderProblem(fileName, line, problem)).replace(LONG_QUOTE, '"$1…"').replace(LONG_WORD, "$1…")))];
}

function parseOrThrow(text: string, fileName: string): ConfigResult {
  const counter = new LineCounter();
  // The core schema keeps 2026-11-03T18:00 a string, so local times are not shifted to UTC.
  // Duplicate keys are found by duplicateKeyProblems: the yaml package's check is quadratic.
  const doc = parseDocument(text, { lineCounter: counter, keepSourceTokens: true, schema: "core", prettyErrors: true, uniqueKeys: false });
  const syntax: ConfigProblem[] = doc.errors.map((error) => ({
    path: [],
    line: error.linePos?.[0].line ?? 1,
    message: isStackOverflow(error.message) ? TOO_DEEP : `YAML syntax error: ${(error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}`,
  }));
  syntax.push(...duplicateKeyProblems(doc, counter));
  if (syntax.length > 0) return { ok: false, problems: render(fileName, doc, counter, syntax) };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/excessive alias count/i.test(message)) return { ok: false, problems: [`${fileName}:1: ${TOO_MANY_ALIASES}`] };
    return { ok: false, problems: [`${fileName}:1: ${isStackOverflow(message) ? TOO_DEEP : `cannot read the YAML: ${message}`}`] };
  }
  const parsed = parseSections(data);
  const problems = [...parsed.problems, ...crossCheck(parsed)];
  if (problems.length > 0) return { ok: false, problems: render(fileName, doc, counter, problems) };
  const core = toCoreConfig(parsed);
  if (core.problems.length > 0) return { ok: false, problems: render(fileName, doc, counter, core.problems) };
  return { ok: true, config: core.config };
}

/**
 * Validate whistlestop.yml text. Never throws: every problem comes back as
 * `<file>:<line>: <path>: <message>`, in file order.
 */
export function parseConfig(text: string, fileName: string): ConfigResult {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_CONFIG_BYTES) {
    const size = `${Math.ceil(bytes / 1024)} KiB`;
    return { ok: false, problems: [`${fileName}:1: the file is ${size}; Whistlestop reads configurations up to ${MAX_CONFIG_BYTES / 1024} KiB. Is this the right file? (check WHISTLESTOP_CONFIG)`] };
  }
  try {
    return parseOrThrow(text, fileName);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isStackOverflow(message)) return { ok: false, problems: [`${fileName}:1: ${TOO_DEEP}`] };
    return { ok: false, problems: [`${fileName}:1: could not validate the configuration (${message}); please report this as a bug`] };
  }
}

export async function loadConfigFile(path: string): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [
        `${path}: cannot read the configuration file (${reason}); set WHISTLESTOP_CONFIG to your whistlestop.yml, or create ${DEFAULT_CONFIG_PATH} (examples/whistlestop.yml is a complete example)`,
      ],
    };
  }
  return parseConfig(text, path);
}

export async function loadConfigOrThrow(path: string = configPath()): Promise<WhistlestopConfig> {
  const result = await loadConfigFile(path);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.config;
}
