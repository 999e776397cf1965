import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * Small files: no source file under src/ is longer than MAX_LINES. A file that grows past it
 * holds more than one idea; split it where the ideas part rather than raising the limit.
 */
const MAX_LINES = 300;
const SRC = join(process.cwd(), "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Lines as an editor numbers them: a final newline does not start another line. */
function countLines(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

describe("file sizes", () => {
  const files = sourceFiles(SRC);

  test("counts lines as an editor does", () => {
    expect([countLines(""), countLines("a"), countLines("a\n"), countLines("a\nb"), countLines("a\n\nb\n")]).toEqual([0, 1, 1, 2, 3]);
  });

  test("finds the source files", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain(join(SRC, "app", "compose.ts"));
  });

  test(`no file under src/ is over ${MAX_LINES} lines`, () => {
    const tooLong = files
      .map((path) => ({ file: relative(process.cwd(), path), lines: countLines(readFileSync(path, "utf8")) }))
      .filter(({ lines }) => lines > MAX_LINES)
      .sort((a, b) => b.lines - a.lines)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(tooLong).toEqual([]);
  });
});
