import type { z } from "zod";
import type { ConfigPath, ConfigProblem } from "./config-problem.js";
import { describeValue, entrySchemas, KNOWN_KEYS, sectionSchemas, type RawConfig } from "./schema.js";
import { friendlyErrorMap, problemsFromIssues, unknownKeyProblem } from "./zod-problems.js";

export interface ParsedSections {
  /**
   * The parsed file. When `problems` is not empty, entries with problems are salvaged: their
   * bad fields are dropped and required ones may be missing. That is enough for the
   * cross-checks (which never read repo or a window's name) and must not go further.
   */
  readonly config: RawConfig;
  /** Every environment name written in the file, including ones whose settings have problems. */
  readonly environmentNames: readonly string[];
  readonly serviceNames: readonly string[];
  /** Every API client name written under api_clients, including ones whose settings have problems. */
  readonly clientNames: readonly string[];
  /** Position in the file of each entry of config.windows (entries beyond salvage are missing). */
  readonly windowIndexes: readonly number[];
  /** The keys written in each entry of config.windows, including ones whose values have problems. */
  readonly windowKeys: readonly (readonly string[])[];
  readonly problems: readonly ConfigProblem[];
}

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping => typeof value === "object" && value !== null && !Array.isArray(value);
const PARSE_OPTIONS = { error: friendlyErrorMap, reportInput: true } as const;

/**
 * Parse whistlestop.yml's data section by section and entry by entry, so one bad service does
 * not hide the problems of the others, and cross-checks still run on everything readable.
 */
export function parseSections(data: unknown): ParsedSections {
  const problems: ConfigProblem[] = [];
  const report = (issues: readonly z.core.$ZodIssue[], path: ConfigPath): void => {
    problems.push(...problemsFromIssues(issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] }))));
  };
  const parse = <T extends z.ZodType>(schema: T, value: unknown, path: ConfigPath): z.output<T> | undefined => {
    const result = schema.safeParse(value, PARSE_OPTIONS);
    if (result.success) return result.data;
    report(result.error.issues, path);
    return undefined;
  };
  /** Like parse, but an entry with problems comes back without its bad fields (see ParsedSections.config). */
  const parseEntry = <T extends z.ZodObject>(schema: T, value: unknown, path: ConfigPath): z.output<T> | undefined => {
    const result = schema.safeParse(value, PARSE_OPTIONS);
    if (result.success) return result.data;
    report(result.error.issues, path);
    if (!isMapping(value)) return undefined;
    const bad = new Set(result.error.issues.map((issue) => String(issue.path[0] ?? "")));
    const kept = Object.fromEntries(Object.entries(value).filter(([key]) => !bad.has(key) && key in schema.shape));
    const salvaged = schema.partial().safeParse(kept);
    if (!salvaged.success) return undefined;
    // Put back the defaults of dropped fields (on_merge: [], environments: {} …) that partial() skips.
    const entry: Record<string, unknown> = { ...salvaged.data };
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const fallback = entry[key] === undefined ? field.safeParse(undefined) : undefined;
      if (fallback?.success && fallback.data !== undefined) entry[key] = fallback.data;
    }
    return entry as z.output<T>;
  };
  const mappingAt = (value: unknown, path: ConfigPath, what: string): Mapping => {
    if (isMapping(value)) return value;
    problems.push({ path, at: "key", message: value === undefined ? `required: ${what}` : `expected ${what}, got ${describeValue(value)}` });
    return {};
  };

  const root = data === null || data === undefined ? {} : mappingAt(data, [], "a mapping with timezone, environments, services, windows, people, admins and api_clients");
  for (const key of Object.keys(root)) if (!KNOWN_KEYS.top.includes(key)) problems.push(unknownKeyProblem([], key));

  const environments: Record<string, RawConfig["environments"][string]> = {};
  const rawEnvironments = mappingAt(root.environments, ["environments"], "a mapping of environment name → settings, e.g. staging: {}");
  for (const [name, value] of Object.entries(rawEnvironments)) {
    const parsed = parseEntry(entrySchemas.environment, value ?? {}, ["environments", name]);
    if (parsed) environments[name] = parsed;
  }

  const services: Record<string, RawConfig["services"][string]> = {};
  const rawServices = mappingAt(root.services, ["services"], "a mapping of service name → settings (repo, slack_channel, …)");
  for (const [name, value] of Object.entries(rawServices)) {
    const parsed = parseEntry(entrySchemas.service, value, ["services", name]);
    if (parsed) services[name] = parsed;
  }

  const windows: RawConfig["windows"][number][] = [];
  const windowIndexes: number[] = [];
  const windowKeys: string[][] = [];
  const rawWindows = root.windows ?? [];
  if (Array.isArray(rawWindows)) {
    rawWindows.forEach((value: unknown, index) => {
      const parsed = parseEntry(entrySchemas.window, value, ["windows", index]);
      if (parsed) {
        windows.push(parsed);
        windowIndexes.push(index);
        windowKeys.push(isMapping(value) ? Object.keys(value) : []);
      }
    });
  } else {
    problems.push({ path: ["windows"], at: "key", message: `expected a list of windows (each starting with "- name: …"), got ${describeValue(rawWindows)}` });
  }

  const config: RawConfig = {
    timezone: parse(sectionSchemas.timezone, root.timezone, ["timezone"]) ?? "UTC",
    defaults: parse(sectionSchemas.defaults, root.defaults, ["defaults"]) ?? sectionSchemas.defaults.parse(undefined),
    environments,
    services,
    windows,
    people: parse(sectionSchemas.people, root.people, ["people"]) ?? {},
    admins: parse(sectionSchemas.admins, root.admins, ["admins"]) ?? [],
    announce_channel: parse(sectionSchemas.announce_channel, root.announce_channel, ["announce_channel"]),
    retention: parse(sectionSchemas.retention, root.retention, ["retention"]) ?? "400d",
    api_clients: parse(sectionSchemas.api_clients, root.api_clients, ["api_clients"]) ?? {},
    dashboard: parse(sectionSchemas.dashboard, root.dashboard, ["dashboard"]) ?? { viewers: [] },
  };
  const clientNames = isMapping(root.api_clients) ? Object.keys(root.api_clients) : [];
  return { config, environmentNames: Object.keys(rawEnvironments), serviceNames: Object.keys(rawServices), clientNames, windowIndexes, windowKeys, problems };
}
