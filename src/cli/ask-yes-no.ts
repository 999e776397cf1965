import type { CliInput, CliOutput } from "./cli-io.js";

export type Answer = "yes" | "no" | "interrupted";

/** Reads one line; undefined when the input ends first or `signal` aborts. Leaves the input paused so the process can exit. */
function readLine(input: CliInput, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buffered = "";
    const finish = (line: string | undefined) => {
      input.off("data", onData);
      input.off("end", onEnd);
      input.off("error", onEnd);
      signal.removeEventListener("abort", onAbort);
      input.pause();
      resolve(line);
    };
    const onData = (chunk: Buffer | string) => {
      buffered += chunk.toString();
      const newline = buffered.search(/\r?\n/);
      if (newline >= 0) finish(buffered.slice(0, newline));
    };
    const onEnd = () => finish(buffered || undefined);
    const onAbort = () => finish(undefined);
    if (signal.aborted) return resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    input.on("data", onData);
    input.on("end", onEnd);
    input.on("error", onEnd);
    input.resume();
  });
}

/** Asks `question [y/N]`; only "y" or "yes" agree, anything else (or no answer) declines. */
export async function askYesNo(question: string, input: CliInput, output: CliOutput, signal: AbortSignal): Promise<Answer> {
  output.write(`${question} [y/N] `);
  const line = await readLine(input, signal);
  if (signal.aborted) {
    output.write("\n");
    return "interrupted";
  }
  if (line === undefined) output.write("\n");
  return /^\s*y(es)?\s*$/i.test(line ?? "") ? "yes" : "no";
}
