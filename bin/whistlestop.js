#!/usr/bin/env node
// The `whistlestop` command. It runs the JavaScript that `npm run build` compiled from src/ into
// dist/ (`npm install` builds it): nothing is bundled or transpiled at run time, so the install
// may be read-only.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The SDK's notice about Node 22 is for us, not for someone typing `whistlestop deploy`.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const entry = new URL("../dist/cli/main.js", import.meta.url);

if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(`whistlestop: ${fileURLToPath(entry)} is missing: run \`npm run build\` (npm install runs it) in ${fileURLToPath(new URL("..", import.meta.url))}\n`);
  process.exit(2);
}
const { main } = await import(entry.href);
await main(process.argv);
