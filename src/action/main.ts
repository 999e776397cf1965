import { runAction } from "./run-action.js";

// The runner sends SIGINT when the job is cancelled: stop following, still write outputs and summary.
const cancelled = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => cancelled.abort());

process.exitCode = await runAction({
  env: process.env,
  write: (text) => process.stdout.write(text),
  fetch: globalThis.fetch,
  cancelled: cancelled.signal,
}).catch((error: unknown) => {
  // A bug, not a decision: say so plainly rather than leave a stack trace as the only clue.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stdout.write(`::error title=Whistlestop action crashed::${detail.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`);
  return 1;
});
