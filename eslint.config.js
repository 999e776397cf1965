import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "data/**", "coverage/**", "action/dist/**", "bench/out/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", URL: "readonly", fetch: "readonly", Buffer: "readonly", AbortController: "readonly", AbortSignal: "readonly", TextEncoder: "readonly", TextDecoder: "readonly", Response: "readonly", Request: "readonly", Headers: "readonly", setImmediate: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["error", "warn"] }],
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } },
  },
  {
    files: ["src/cli/**", "bench/**", "bin/**", "src/app/sandbox*.ts"],
    rules: { "no-console": "off" },
  },
  {
    // The dashboard's browser script: plain JavaScript for every browser, run in the page, not in Node.
    files: ["src/adapters/dashboard/assets/**/*.js"],
    languageOptions: { sourceType: "script", globals: { window: "readonly", document: "readonly", DOMParser: "readonly", EventSource: "readonly", Intl: "readonly", fetch: "readonly", setTimeout: "readonly" } },
  },
  {
    files: ["src/core/**"],
    rules: {
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "The core reads time from the injected Clock." }],
    },
  },
);
