/**
 * Parsing the worst input the surfaces let through, each beside a floor in the same run:
 *
 * - the command parser on lines at its length limit (4 096 characters), made of the characters
 *   that open, close and continue quotes and flags, where a careless tokenizer goes quadratic
 *   (one took ~200 ms on a 64 KiB line); and on a 64 KiB line, which it refuses unread.
 *   Floor: reading the same line once, character by character.
 * - the config loader on a file just under its size limit holding ~18 000 keys in one mapping
 *   (the yaml package's own duplicate-key check took ~15 s on it). Floor: JSON.parse of a
 *   document with the same keys.
 *
 *   node bin/run-ts.js bench/input-parsing.ts
 */
import { fileURLToPath } from "node:url";
import { MAX_COMMAND_LENGTH, parseCommand } from "../src/core/commands/parse-command.js";
import type { ParseContext } from "../src/core/commands/parse-result.js";
import { MAX_CONFIG_BYTES, parseConfig } from "../src/config/load-config.js";
import { ms, ratio, table, type Row } from "./lib/stats.js";

const PREFIXES = ["deploy donations prod ", "lock all all ", "/deploy ", "", "rollback events staging --reason "];
const PATTERNS = ["'", '"', "“a”", "a'", "--reason=", "x= ", "— ", "\\", "--reason='a", "a b ", "' \""];

const context: ParseContext = {
  surface: "api",
  services: ["donations", "events", "mailer"],
  environments: ["staging", "prod"],
  timezone: "America/New_York",
  now: new Date("2026-03-06T15:00:00Z"),
};

export interface InputParsingResult {
  readonly lines: number;
  /** The slowest line's median parse time, and that line read once. */
  readonly worstLine: { readonly ms: number; readonly floorMs: number };
  readonly hugeLineMs: number;
  readonly bigConfig: { readonly ms: number; readonly floorMs: number; readonly keys: number };
}

function linesOf(length: number): string[] {
  return PREFIXES.flatMap((prefix) => PATTERNS.map((pattern) => (prefix + pattern.repeat(Math.ceil(length / pattern.length))).slice(0, length)));
}

function median(repeats: number, task: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    task();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(repeats / 2)]!;
}

/** The least any tokenizer must do: look at every character once. */
function readOnce(text: string): number {
  let quotes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39 || c === 32) quotes++;
  }
  return quotes;
}

function bigConfig(): { yaml: string; json: string; keys: number } {
  let yaml = "environments: {staging: {}}\nservices: {a: {repo: a/b}}\nx:\n";
  const entries: string[] = [];
  for (let i = 0; yaml.length + 20 < MAX_CONFIG_BYTES - 64; i++) {
    yaml += `  k${i}: ${i}\n`;
    entries.push(`"k${i}":${i}`);
  }
  return { yaml, json: `{"x":{${entries.join(",")}}}`, keys: entries.length };
}

export function runInputParsingBench(): InputParsingResult {
  let sink = 0;
  const lines = linesOf(MAX_COMMAND_LENGTH);
  let worst = { ms: 0, text: "" };
  for (const text of lines) {
    const time = median(51, () => void parseCommand(text, context));
    if (time > worst.ms) worst = { ms: time, text };
  }
  const floorMs = median(51, () => (sink += readOnce(worst.text)));
  const huge = linesOf(65_536);
  const hugeLineMs = Math.max(...huge.map((text) => median(11, () => void parseCommand(text, context))));
  const config = bigConfig();
  const configMs = median(5, () => void parseConfig(config.yaml, "big.yml"));
  const configFloorMs = median(5, () => (sink += Object.keys(JSON.parse(config.json) as object).length));
  if (sink < 0) console.log(sink);
  return { lines: lines.length, worstLine: { ms: worst.ms, floorMs }, hugeLineMs, bigConfig: { ms: configMs, floorMs: configFloorMs, keys: config.keys } };
}

/** Linear work on 4 KiB takes well under a millisecond; a quadratic tokenizer takes several. */
const LINE_TARGET_MS = 2;
/** `whistlestop config check` and start-up stay interactive on the largest file accepted. */
const CONFIG_TARGET_MS = 2_000;

export function inputParsingRows(result: InputParsingResult): Row[] {
  const { worstLine, bigConfig: config } = result;
  return [
    {
      metric: `parse worst 4 KiB command (of ${result.lines})`,
      value: ms(worstLine.ms),
      floor: ms(worstLine.floorMs),
      ratio: ratio(worstLine.ms, worstLine.floorMs),
      target: `≤ ${LINE_TARGET_MS} ms`,
      met: worstLine.ms <= LINE_TARGET_MS,
    },
    { metric: "refuse a 64 KiB command", value: ms(result.hugeLineMs) },
    {
      metric: `load 256 KiB config, ${config.keys.toLocaleString("en-US")} keys`,
      value: ms(config.ms),
      floor: ms(config.floorMs),
      ratio: ratio(config.ms, config.floorMs),
      target: `≤ ${CONFIG_TARGET_MS} ms`,
      met: config.ms <= CONFIG_TARGET_MS,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(table(inputParsingRows(runInputParsingBench())));
}
