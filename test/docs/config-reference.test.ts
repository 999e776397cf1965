import { KNOWN_KEYS, PIPELINE_DEFAULTS, configSchema } from "../../src/config/schema.js";
import { readDoc, rowsOfSection, sectionOf } from "./doc-sections.js";

/**
 * docs/configuration.md must not drift from the zod schema: every field of every mapping has a
 * row in the table of its section, and the row shows the field's default, its allowed values
 * and whether it is required. The schema is walked, so a new field fails this test until it is
 * documented.
 */

/** The part of zod 4's internal definitions the walk reads. */
interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, unknown>;
  readonly innerType?: unknown;
  readonly defaultValue?: unknown;
  readonly out?: unknown;
  readonly valueType?: unknown;
  readonly element?: unknown;
  readonly entries?: Record<string, string>;
  readonly options?: readonly unknown[];
}

const defOf = (schema: unknown): SchemaDef => (schema as { _zod: { def: SchemaDef } })._zod.def;

interface Field {
  readonly section: string;
  readonly key: string;
  readonly required: boolean;
  readonly defaultValue?: unknown;
  readonly options: readonly string[];
}

/** How the doc names a mapping's entries in its headings: `environments.<env>`. */
const PLACEHOLDER: Record<string, string> = { environments: "<env>", services: "<service>", api_clients: "<name>" };
const ROOT = "Top level";

function sectionName(path: readonly string[]): string {
  if (path.length === 0) return ROOT;
  return path.reduce((name, segment) => (segment === "[]" ? `${name}[]` : name ? `${name}.${segment}` : segment), "");
}

/** Peel optional/default/preprocess wrappers off a field: what remains, and what they said. */
function unwrap(schema: unknown): { core: unknown; required: boolean; defaultValue?: unknown } {
  let core = schema;
  let required = true;
  let defaultValue: unknown;
  for (;;) {
    const def = defOf(core);
    if (def.type === "optional" || def.type === "nullable") {
      required = false;
      core = def.innerType;
    } else if (def.type === "default" || def.type === "prefault") {
      required = false;
      if (def.type === "default" && defaultValue === undefined) defaultValue = def.defaultValue;
      core = def.innerType;
    } else if (def.type === "pipe") {
      core = def.out;
    } else if (def.type === "union" && def.options?.some((option) => defOf(option).type === "object")) {
      // A mapping or a plain value (verify: {…} or false): the mapping's fields are documented.
      core = def.options.find((option) => defOf(option).type === "object");
    } else {
      return { core, required, ...(defaultValue === undefined ? {} : { defaultValue }) };
    }
  }
}

/** Every field of every mapping the schema accepts, with the section of the doc that must list it. */
function collectFields(schema: unknown, path: readonly string[], into: Field[]): Field[] {
  const { core } = unwrap(schema);
  const def = defOf(core);
  if (def.type === "object") {
    for (const [key, field] of Object.entries(def.shape ?? {})) {
      const { core: fieldCore, required, defaultValue } = unwrap(field);
      const fieldDef = defOf(fieldCore);
      const options = fieldDef.type === "enum" ? Object.values(fieldDef.entries ?? {}) : [];
      into.push({ section: sectionName(path), key, required, options, ...(defaultValue === undefined ? {} : { defaultValue }) });
      collectFields(field, [...path, key], into);
    }
  } else if (def.type === "record") {
    const parent = path[path.length - 1] ?? "";
    collectFields(def.valueType, [...path, PLACEHOLDER[parent] ?? `<${parent}>`], into);
  } else if (def.type === "array") {
    collectFields(def.element, [...path, "[]"], into);
  }
  return into;
}

function shown(value: unknown): string {
  if (Array.isArray(value) && value.length === 0) return "[]";
  if (typeof value === "object" && value !== null && Object.keys(value).length === 0) return "{}";
  return typeof value === "string" ? value : JSON.stringify(value);
}

const doc = readDoc("configuration.md");
const fields = collectFields(configSchema, [], []);
const rowOf = (field: Field): string | undefined => rowsOfSection(doc, field.section).get(field.key)?.line;
/** The row's "default" cell: a default written elsewhere in the row would not count. */
const defaultCellOf = (field: Field): string | undefined => rowsOfSection(doc, field.section).get(field.key)?.cells.get("default");
const label = (field: Field): string => `${field.section} → ${field.key}`;

describe("docs/configuration.md documents the whole schema", () => {
  it("walks every mapping the loader knows (KNOWN_KEYS)", () => {
    const sections: Record<keyof typeof KNOWN_KEYS, string> = {
      top: ROOT,
      defaults: "defaults",
      environment: "environments.<env>",
      service: "services.<service>",
      serviceEnvironment: "services.<service>.environments.<env>",
      window: "windows[]",
      aws: "defaults.aws",
      apiClient: "api_clients.<name>",
      approvals: "environments.<env>.approvals",
      dashboard: "dashboard",
      verify: "environments.<env>.verify",
    };
    for (const [kind, keys] of Object.entries(KNOWN_KEYS)) {
      const walked = fields.filter((f) => f.section === sections[kind as keyof typeof KNOWN_KEYS]).map((f) => f.key);
      expect({ kind, keys: [...walked].sort() }).toEqual({ kind, keys: [...keys].sort() });
    }
  });

  it("has a heading for every mapping", () => {
    const missing = [...new Set(fields.map((f) => f.section))].filter((section) => sectionOf(doc, section) === undefined);
    expect(missing).toEqual([]);
  });

  it("has a table row for every field, in its mapping's section", () => {
    const missing = fields.filter((field) => rowOf(field) === undefined).map(label);
    expect(missing).toEqual([]);
  });

  it("shows every default in the default column of the field's row", () => {
    const wrong = fields
      .filter((field) => field.defaultValue !== undefined)
      .filter((field) => !defaultCellOf(field)?.includes(`\`${shown(field.defaultValue)}\``))
      .map((field) => `${label(field)}: expected \`${shown(field.defaultValue)}\``);
    expect(wrong).toEqual([]);
  });

  it("shows every default of PIPELINE_DEFAULTS under defaults", () => {
    const rows = rowsOfSection(doc, "defaults");
    const wrong = Object.entries(PIPELINE_DEFAULTS)
      .filter(([key, value]) => !rows.get(key)?.cells.get("default")?.includes(`\`${value}\``))
      .map(([key, value]) => `defaults.${key}: expected \`${value}\``);
    expect(wrong).toEqual([]);
  });

  it("lists every allowed value of enumerated fields", () => {
    const wrong = fields.flatMap((field) =>
      field.options.filter((option) => !rowOf(field)?.includes(`\`${option}\``)).map((option) => `${label(field)}: \`${option}\``),
    );
    expect(wrong).toEqual([]);
  });

  it("marks the required fields as required", () => {
    const wrong = fields.filter((field) => field.required && !/required/i.test(rowOf(field) ?? "")).map(label);
    expect(wrong).toEqual([]);
  });
});
