import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SECRET_HEADERS, SECRET_KEYS } from "../../src/app/log-redaction.js";
import { OPS_ROUTES } from "../../src/adapters/http/ops-routes.js";
import { PROJECT_ROOT, readDoc, rowsOfSection, sectionOf } from "./doc-sections.js";

/**
 * docs/operations.md must name what operators rely on: the metrics, the probes, what the logs
 * redact; and every environment variable the server reads must be documented somewhere in docs/.
 */

const operations = readDoc("operations.md");
const source = (path: string): string => readFileSync(join(PROJECT_ROOT, path), "utf8");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(PROJECT_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Variables the server and the CLI read: `env.NAME`, `env["NAME"]`, `process.env.NAME`. */
function environmentVariables(): string[] {
  const names = new Set<string>();
  for (const dir of ["src/app", "src/config", "src/adapters", "src/cli"]) {
    for (const file of sourceFiles(dir)) {
      for (const m of readFileSync(file, "utf8").matchAll(/\benv(?:\.|\?\.|\[")([A-Z][A-Z0-9_]{2,})/g)) names.add(m[1]!);
    }
  }
  return [...names].sort();
}

/** Terminal conventions the CLI honours; not Whistlestop settings. */
const CONVENTIONS = new Set(["TERM"]);

describe("docs/operations.md documents what operators rely on", () => {
  it("lists every metric Whistlestop registers, in the metrics table", () => {
    const registered = [...source("src/app/metrics.ts").matchAll(/name:\s*"([a-z_]+)"/g)].map((m) => m[1]!);
    expect(registered.length).toBeGreaterThanOrEqual(5);
    const rows = rowsOfSection(operations, "Metrics");
    expect(registered.filter((name) => !rows.has(name))).toEqual([]);
  });

  it("explains every probe", () => {
    const rows = rowsOfSection(operations, "Health");
    expect(OPS_ROUTES.filter((route) => !rows.has(`GET ${route}`))).toEqual([]);
  });

  it("names every field and header the logger redacts", () => {
    const logs = (sectionOf(operations, "Logs") ?? []).join("\n");
    const keys = new Set([...SECRET_KEYS, ...SECRET_HEADERS]);
    expect(keys.size).toBeGreaterThan(10);
    expect([...keys].filter((key) => !logs.includes(`\`${key}\``))).toEqual([]);
  });

  it("documents every environment variable the server and the CLI read, somewhere in docs/", () => {
    const docs = readdirSync(join(PROJECT_ROOT, "docs"))
      .filter((name) => name.endsWith(".md"))
      .map((name) => readDoc(name))
      .join("\n");
    const variables = environmentVariables();
    expect(variables).toEqual(expect.arrayContaining(["DATABASE_URL", "WHISTLESTOP_CONFIG", "LOG_LEVEL"]));
    expect(variables.filter((name) => !CONVENTIONS.has(name) && !docs.includes(`\`${name}`))).toEqual([]);
  });
});
