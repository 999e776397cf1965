// `npm run build` (and `npm install`, through prepare.js) runs this after tsc: files that are not
// TypeScript but ship with the server (the dashboard's stylesheet and script) are copied from
// src/ into dist/ next to the compiled module that serves them.
import { cpSync, existsSync } from "node:fs";

const ASSET_FOLDERS = ["adapters/dashboard/assets"];

for (const folder of ASSET_FOLDERS) {
  const from = new URL(`../src/${folder}/`, import.meta.url);
  if (existsSync(from)) cpSync(from, new URL(`../dist/${folder}/`, import.meta.url), { recursive: true });
}
