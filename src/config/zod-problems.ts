import type { z } from "zod";
import { didYouMean } from "./closest-match.js";
import type { ConfigPath, ConfigProblem } from "./config-problem.js";
import { describeValue, KNOWN_KEYS } from "./schema.js";

/** Zod's generic messages, reworded for someone editing YAML; schema-level messages win over these. */
export const friendlyErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === "invalid_value") {
    const values = issue.values.map(String);
    const got = issue.input;
    const hint = typeof got === "string" ? didYouMean(got, values) : "";
    return `expected one of ${values.join(", ")}, got ${describeValue(got)}${hint}`;
  }
  if (issue.code === "invalid_type") {
    return issue.input === undefined ? "required" : `expected ${issue.expected}, got ${describeValue(issue.input)}`;
  }
  return undefined;
};

function knownKeysAt(path: ConfigPath): readonly string[] {
  const [section, , nested] = path;
  if (path.length === 0) return KNOWN_KEYS.top;
  if (path[path.length - 1] === "aws") return KNOWN_KEYS.aws;
  if (path[path.length - 1] === "approvals") return KNOWN_KEYS.approvals;
  if (path[path.length - 1] === "verify") return KNOWN_KEYS.verify;
  if (path.length === 1 && section === "defaults") return KNOWN_KEYS.defaults;
  if (path.length === 2 && section === "environments") return KNOWN_KEYS.environment;
  if (path.length === 2 && section === "services") return KNOWN_KEYS.service;
  if (path.length === 4 && section === "services" && nested === "environments") return KNOWN_KEYS.serviceEnvironment;
  if (path.length === 2 && section === "windows") return KNOWN_KEYS.window;
  if (path.length === 2 && section === "api_clients") return KNOWN_KEYS.apiClient;
  if (path.length === 1 && section === "dashboard") return KNOWN_KEYS.dashboard;
  return [];
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const hint = didYouMean(key, known);
  if (hint) return `unknown key "${key}"${hint}`;
  return known.length ? `unknown key "${key}"; expected one of ${known.join(", ")}` : `unknown key "${key}"`;
}

export function unknownKeyProblem(parent: ConfigPath, key: string): ConfigProblem {
  return { path: [...parent, key], at: "key", message: unknownKeyMessage(key, knownKeysAt(parent)) };
}

const toPath = (path: readonly PropertyKey[]): ConfigPath => path.map((p) => (typeof p === "number" ? p : String(p)));

/** One problem per issue, and one per unknown key (so each names its own line). */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    const path = toPath(issue.path);
    const mapping = issue.code === "invalid_union" ? mappingOptionIssues(issue) : undefined;
    if (mapping) return problemsFromIssues(mapping.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => unknownKeyProblem(path, key));
    }
    return [{ path, message: issue.message }];
  });
}

/**
 * A value that may be a mapping or a plain value (verify: {…} or false) and was a mapping that did
 * not pass: the mapping's own problems (a missing key, a bad value), not "expected a mapping or false".
 */
function mappingOptionIssues(issue: z.core.$ZodIssueInvalidUnion): readonly z.core.$ZodIssue[] | undefined {
  const input = (issue as { input?: unknown }).input;
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  return issue.errors.find((option) => option.length > 0 && option.every((inner) => inner.path.length > 0 || inner.code === "unrecognized_keys"));
}
