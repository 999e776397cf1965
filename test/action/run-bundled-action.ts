import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BUNDLE = fileURLToPath(new URL("../../action/dist/index.js", import.meta.url));

export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/** Reads a GITHUB_OUTPUT file the way the runner does: `name<<DELIM`, value lines, `DELIM`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (!heredoc) {
      const eq = line.indexOf("=");
      if (eq < 0) throw new Error(`not an output line: ${line}`);
      outputs[line.slice(0, eq)] = line.slice(eq + 1);
      continue;
    }
    const [, name, delimiter] = heredoc;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
    if (i >= lines.length) throw new Error(`output ${name} has no closing delimiter`);
    outputs[name!] = value.join("\n");
  }
  return outputs;
}

/**
 * Runs the committed bundle as a runner does: `node action/dist/index.js` with INPUT_<NAME>
 * variables (hyphens kept), and fresh GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
 */
export async function runBundledAction(
  inputs: Readonly<Record<string, string>>,
  github: Readonly<Record<string, string>> = {},
  /** Called once when the log first matches `match` (e.g. to send the runner's SIGINT). */
  onLog?: { readonly match: RegExp; readonly then: (child: ChildProcess) => void },
): Promise<ActionRun> {
  const dir = await mkdtemp(join(tmpdir(), "whistlestop-action-"));
  const outputFile = join(dir, "output");
  const summaryFile = join(dir, "summary");
  await writeFile(outputFile, "");
  await writeFile(summaryFile, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_ACTIONS: "true",
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_RUN_ID: "9876543210",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_ACTOR: "octocat",
    GITHUB_REPOSITORY: "whistlestop-demo/donations",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    ...github,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  try {
    const child = spawn(process.execPath, [BUNDLE], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let seen = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (onLog && !seen && onLog.match.test(stdout)) {
        seen = true;
        onLog.then(child);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (exitCode) => resolve(exitCode));
    });
    return { code, stdout, stderr, outputs: parseOutputFile(await readFile(outputFile, "utf8")), summary: await readFile(summaryFile, "utf8") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
