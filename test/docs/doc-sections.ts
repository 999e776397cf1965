import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Helpers for the tests that keep docs/ true to the code: find a section, read its table rows. */

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function readDoc(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)), "utf8");
}

const HEADING = /^(#{1,6})\s+(.+?)\s*$/;

/** A heading's text as compared: `## \`defaults\`` → "defaults". */
const headingText = (raw: string): string => raw.replaceAll("`", "").trim();

/**
 * The lines under the heading whose text is `title`, up to the next heading of the same or a
 * higher level (so subsections belong to their parent). Undefined when there is no such heading.
 */
export function sectionOf(doc: string, title: string): string[] | undefined {
  const lines = doc.split("\n");
  const start = lines.findIndex((line) => {
    const m = HEADING.exec(line);
    return m !== null && headingText(m[2]!) === title;
  });
  if (start < 0) return undefined;
  const level = HEADING.exec(lines[start]!)![1]!.length;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = HEADING.exec(line);
    if (m && m[1]!.length <= level) break;
    body.push(line);
  }
  return body;
}

/** One row of a Markdown table: the whole line and its cells by column header (lowercase). */
export interface TableRow {
  readonly line: string;
  readonly cells: ReadonlyMap<string, string>;
}

/** Cells of a table line; `\|` inside a cell is text. */
const cellsOf = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());

/** Table rows keyed by their first cell when it is one code span: "| `key` | …" → key → row. */
function tableRows(lines: readonly string[]): Map<string, TableRow> {
  const rows = new Map<string, TableRow>();
  let header: string[] = [];
  let inTable = false;
  for (const line of lines) {
    if (!line.trim().startsWith("|")) {
      inTable = false;
      continue;
    }
    if (!inTable) {
      header = cellsOf(line).map((cell) => cell.toLowerCase());
      inTable = true;
      continue;
    }
    const first = /^\|\s*`([^`]+)`\s*\|/.exec(line);
    if (!first || rows.has(first[1]!)) continue;
    const cells = cellsOf(line);
    rows.set(first[1]!, { line, cells: new Map(header.map((name, i) => [name, cells[i] ?? ""])) });
  }
  return rows;
}

export function rowsOfSection(doc: string, title: string): Map<string, TableRow> {
  return tableRows(sectionOf(doc, title) ?? []);
}

/** Every table row of the whole document, keyed the same way (the first row for a key wins). */
export function rowsOfDoc(doc: string): Map<string, TableRow> {
  return tableRows(doc.split("\n"));
}

/** The string literals of an exported union type in a source file: `export type X = | "a" | "b";`. */
export function unionMembers(sourcePath: string, typeName: string): string[] {
  const source = readFileSync(fileURLToPath(new URL(`../../${sourcePath}`, import.meta.url)), "utf8");
  const declaration = new RegExp(`export type ${typeName}\\s*=([^;]+);`).exec(source);
  if (!declaration) throw new Error(`no "export type ${typeName}" in ${sourcePath}`);
  return [...declaration[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}
