#!/usr/bin/env node
// The `whistlestop` command, run from the TypeScript sources: there is no separate build step.
// Client commands run through tsx. The long-running server (`start`, `sandbox`) is first bundled with
// esbuild (a fraction of a second) and runs as plain JavaScript: tsx's in-memory transpiler
// would otherwise cost the server about 50 MB for as long as it runs.
import { unlink } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

// The SDK's notice about Node 22 is for us, not for someone typing `whistlestop deploy`.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const sources = new URL("../src/cli/main.ts", import.meta.url);

async function loadBundled() {
  const { build } = await import("esbuild");
  // One file per process: two servers starting at once never read each other's half-written bundle.
  const outfile = fileURLToPath(new URL(`../dist/server-${process.pid}.mjs`, import.meta.url));
  await build({ entryPoints: [fileURLToPath(sources)], bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", outfile, logLevel: "error" });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    await unlink(outfile).catch(() => {});
  }
}

async function loadSources() {
  const { register } = await import("tsx/esm/api");
  register();
  return import(sources.href);
}

const server = ["start", "sandbox"].includes(process.argv[2]) && process.env.WHISTLESTOP_RUN_SOURCES !== "1";
const { main } = server ? await loadBundled() : await loadSources();
await main(process.argv);
