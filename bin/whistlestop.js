#!/usr/bin/env node
// The `whistlestop` command. tsx runs the TypeScript sources directly, so there is no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import(new URL("../src/cli/main.ts", import.meta.url).href);
await main(process.argv);
