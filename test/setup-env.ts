// Runs before every test file: quiet logs and the AWS SDK's Node 20 notice.
import { createRequire } from "node:module";
import { dirname } from "node:path";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.LOG_LEVEL ??= "silent";

// Each test file runs in a realm of its own (its own `Error`), but Jest loads a native addon once
// per worker process and shares it between files. better-sqlite3 hands its SqliteError class to
// the addon only on the first `new Database()` in the process, so every later file of the worker
// got SqliteErrors built from an earlier file's class: not `instanceof Error` here, and
// `expect(...).rejects.toThrow()` reported "did not throw" although SQLite had refused the write.
// Forgetting the registration makes this file's first Database register this file's class.
const require = createRequire(import.meta.url);
const betterSqliteRoot = dirname(dirname(require.resolve("better-sqlite3")));
const addon = (require("bindings") as (options: object) => { isInitialized?: boolean })({
  bindings: "better_sqlite3.node",
  module_root: betterSqliteRoot,
});
addon.isInitialized = false;
