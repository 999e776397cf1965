/** A path into whistlestop.yml as keys and list indexes: ["windows", 1, "duration"]. */
export type ConfigPath = readonly (string | number)[];

/**
 * One thing wrong with the configuration. `at: "key"` points at the line of the key itself
 * (unknown keys, whole sections); otherwise scalars point at their value's line.
 */
export interface ConfigProblem {
  readonly path: ConfigPath;
  readonly message: string;
  readonly at?: "key" | "value";
  /** Known already (YAML syntax errors); otherwise found from the path. */
  readonly line?: number;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** ["services", "donations", "environments", "prod", "pipeline"] → services.donations.environments.prod.pipeline */
export function formatConfigPath(path: ConfigPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** `whistlestop.yml:23: windows[1].duration: expected a duration like 4h` */
export function renderProblem(fileName: string, line: number, problem: ConfigProblem): string {
  const where = formatConfigPath(problem.path);
  return `${fileName}:${line}: ${where ? `${where}: ` : ""}${problem.message}`;
}
