import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../kit/process-helpers.js";

/** What the Dockerfile's runtime stage copies besides node_modules (dist/ comes from the build). */
export const INSTALL_FILES = ["package.json", "package-lock.json", "bin", "dist", "examples"] as const;

interface LockEntry {
  readonly dev?: boolean;
}

/**
 * The packages `npm ci --omit=dev` installs, read from the lockfile: every entry not marked dev.
 * Only the outermost folders, since copying one copies what is nested in it.
 */
export function productionPackages(root = PROJECT_ROOT): string[] {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const wanted = Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith("node_modules/") && !entry.dev)
    .map(([path]) => path)
    .sort();
  const outermost: string[] = [];
  for (const path of wanted) {
    if (outermost.some((outer) => path.startsWith(`${outer}/`))) continue;
    // Optional packages for other platforms are in the lockfile but not on disk.
    if (existsSync(join(root, path))) outermost.push(path);
  }
  return outermost;
}

/**
 * A production install of this checkout in `target`: dist/ and the runtime files, and the
 * runtime packages copied from node_modules (as `npm ci --omit=dev` would install them, without
 * the network or a native rebuild). No src/, no TypeScript, no tsx or esbuild.
 */
export function copyProductionInstall(target: string): void {
  mkdirSync(target, { recursive: true });
  // GNU cp in one process: node's cpSync takes several times longer on these ~20,000 files.
  const copy = spawnSync("cp", ["-a", "--parents", ...INSTALL_FILES, ...productionPackages(), target], { cwd: PROJECT_ROOT, encoding: "utf8" });
  if (copy.status !== 0) throw new Error(`copying the production install failed: ${copy.stderr}`);
}

/** Takes write permission away from every file and folder under `dir` (and `dir` itself). */
export function makeReadOnly(dir: string): void {
  const chmod = spawnSync("chmod", ["-R", "a-w", dir], { encoding: "utf8" });
  if (chmod.status !== 0) throw new Error(`chmod -R a-w ${dir} failed: ${chmod.stderr}`);
}

/** Every path under `dir`, for comparing before and after. */
export function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).map((entry) => join(entry.parentPath, entry.name)).sort();
}
