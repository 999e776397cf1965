// `npm install` runs this (the `prepare` script): it compiles src/ into dist/ so that a clone is
// ready after `npm install`. A production install (`npm ci --omit=dev`, as in the Dockerfile) has
// neither the sources nor the compiler and gets dist/ from the build stage: nothing to build.
// Without dist/, bin/whistlestop.js says to run `npm run build`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const hasSources = existsSync(new URL("../src/cli/main.ts", import.meta.url));
let compiler;
try {
  compiler = createRequire(import.meta.url).resolve("typescript/bin/tsc");
} catch {
  compiler = undefined;
}
if (hasSources && compiler) {
  const result = spawnSync(process.execPath, [compiler, "-p", "tsconfig.build.json"], { stdio: "inherit", cwd: new URL("..", import.meta.url) });
  if (result.status === 0) await import("./copy-assets.js");
  process.exit(result.status ?? 1);
}
