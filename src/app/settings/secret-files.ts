import { readFileSync } from "node:fs";

/**
 * Secrets that may also come from a file: `NAME_FILE=/run/secrets/…` holds the path, the file's
 * contents are the value (how Docker and Kubernetes secrets are usually mounted). The GitHub App's
 * key has its own file form, Probot's PRIVATE_KEY_PATH.
 */
export const SECRET_FILE_VARIABLES = [
  "WEBHOOK_SECRET",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "GITHUB_CLIENT_SECRET",
  "WHISTLESTOP_API_TOKENS",
  "PIPELINE_EVENTS_TOKEN",
  "DATABASE_URL",
] as const;

/** `_FILE` forms people may reasonably try that mean something else here. */
const MISLEADING_FILE_FORMS: Readonly<Record<string, string>> = {
  PRIVATE_KEY_FILE: "PRIVATE_KEY_FILE is not read: the GitHub App's key file goes in PRIVATE_KEY_PATH.",
};

export interface ResolvedSecrets {
  /** The environment with every `NAME_FILE` replaced by `NAME` holding the file's contents. */
  readonly env: NodeJS.ProcessEnv;
  /** What is wrong, naming variables and paths, never a value. */
  readonly problems: readonly string[];
  /** Variables whose file form was set but could not be used: they count as set, but have no value. */
  readonly unusable: ReadonlySet<string>;
}

export type ReadTextFile = (path: string) => string;
const readText: ReadTextFile = (path) => readFileSync(path, "utf8");

/**
 * Runs first, before any other setting is read, so the rest of the code sees plain values. Setting
 * both forms of one secret is an error (which one wins would be a guess), and so is a file that
 * cannot be read or is empty.
 */
export function resolveSecretFiles(env: NodeJS.ProcessEnv, readFile: ReadTextFile = readText): ResolvedSecrets {
  const resolved: NodeJS.ProcessEnv = { ...env };
  const problems: string[] = [];
  const unusable = new Set<string>();
  for (const [name, problem] of Object.entries(MISLEADING_FILE_FORMS)) if (isSet(env[name])) problems.push(problem);
  for (const name of SECRET_FILE_VARIABLES) {
    const fileVariable = `${name}_FILE`;
    const path = env[fileVariable]?.trim();
    delete resolved[fileVariable];
    if (!path) continue;
    if (isSet(env[name])) {
      problems.push(`${name} and ${fileVariable} are both set: keep one of them.`);
      unusable.add(name);
      continue;
    }
    const value = readSecret(fileVariable, path, readFile);
    if (typeof value === "string") {
      resolved[name] = value;
    } else {
      problems.push(value.problem);
      unusable.add(name);
    }
  }
  return { env: resolved, problems, unusable };
}

function readSecret(variable: string, path: string, readFile: ReadTextFile): string | { problem: string } {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return { problem: `${variable} names ${path}, which cannot be read (${code}): check the path and that the file is readable by this process.` };
  }
  // Editors and `echo` end files with a newline that is not part of the secret.
  const value = text.replace(/[\r\n]+$/, "");
  if (value.trim() === "") return { problem: `${variable} names ${path}, which is empty.` };
  return value;
}

const isSet = (value: string | undefined): boolean => value !== undefined && value.trim() !== "";
