#!/usr/bin/env node
// The `whistlestop` command. tsx runs the TypeScript sources directly, so there is no build step.
import { register } from "tsx/esm/api";

// The SDK's notice about Node 22 is for us, not for someone typing `whistlestop deploy`.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
const { main } = await import(new URL("../src/cli/main.ts", import.meta.url).href);
await main(process.argv);
