import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of Whistlestop's package.json, found by walking up from this module: the same answer
 * whether the sources run directly (tests, tsx) or compiled into dist/.
 */
export function projectRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "whistlestop") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find Whistlestop's package.json above ${from}`);
    dir = parent;
  }
}

/** This Whistlestop's version, from its package.json. */
export function whistlestopVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")) as { version?: string }).version ?? "unknown";
}
