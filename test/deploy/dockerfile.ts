/** Just enough of a Dockerfile's syntax to check what it names: instructions, stages, ARG defaults. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  /** The stage (index into stages) the instruction is in; -1 before the first FROM. */
  readonly stage: number;
}

export interface Stage {
  readonly image: string;
  readonly name?: string;
}

export interface Dockerfile {
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
  /** ARG defaults declared before the first FROM. */
  readonly globalArgs: ReadonlyMap<string, string>;
}

export function parseDockerfile(text: string): Dockerfile {
  const logical = text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  const globalArgs = new Map<string, string>();
  for (const line of logical) {
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === "FROM") {
      const [, image = "", name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      stages.push({ image, ...(name ? { name } : {}) });
    } else if (upper === "ARG" && stages.length === 0) {
      const [name = "", value = ""] = args.split("=", 2);
      globalArgs.set(name, value);
    }
    instructions.push({ keyword: upper, args, stage: stages.length - 1 });
  }
  return { instructions, stages, globalArgs };
}

/** The image a FROM names, with `${ARG}` replaced by the ARG's default. */
export function resolvedImage(file: Dockerfile, image: string): string {
  return image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => file.globalArgs.get((braced ?? bare)!) ?? "");
}

/** A COPY's flags, sources and destination (shell form). */
export function copyParts(args: string): { from?: string; sources: string[]; destination: string } {
  const words = args.split(/\s+/);
  const flags = words.filter((word) => word.startsWith("--"));
  const paths = words.filter((word) => !word.startsWith("--"));
  const from = flags.find((flag) => flag.startsWith("--from="))?.slice("--from=".length);
  return { ...(from ? { from } : {}), sources: paths.slice(0, -1), destination: paths.at(-1)! };
}

/** True when `.dockerignore` (plain names and `*` globs, one a line) leaves `path` out of the context. */
export function ignoredByDockerignore(patterns: readonly string[], path: string): boolean {
  const segments = path.replace(/^\.\//, "").split("/");
  return patterns.some((pattern) => {
    const matcher = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
    return segments.some((_, i) => matcher.test(segments.slice(0, i + 1).join("/")));
  });
}
