import fc from "fast-check";

/** Keys of whistlestop.yml and of its sections, mixed with near misses and YAML's special ones. */
const KEYS = [
  "timezone", "defaults", "environments", "services", "windows", "people", "admins",
  "staging", "prod", "donations", "events", "repo", "slack_channel", "on_merge", "stages", "pipeline", "promote_from", "confirm",
  "deployers", "url", "enforce_in_pipeline", "name", "kind", "start", "end", "cron", "duration", "allow_rollback", "reason",
  "concurrency", "rollback", "source_action", "deploy_stage", "<<", "__proto__", "constructor", "? ", "", "Prod", "all",
];
const SCALARS = [
  "UTC", "America/New_York", "hfa/donations", "C0DONATIONS", "queue", "reject", "deny", "allow", "4h", "0 20 * * 1-5", "2026-11-03T18:00",
  "true", "false", "yes", "no", "null", "~", "0", "-1", "1e400", "0x1F", ".nan", ".inf", "[", "]", "{", "}", "*", "&", "!", "|", ">", "%", "@", "`",
  "'quoted'", '"double \\u0000 quoted"', '"\\x"', "'unterminated", "\t", "\u0000", "\uFEFF", "\u2028", "é", "🎉",
];

const ANCHORS = ["a", "b", "c"];
export type YamlNode =
  | { readonly kind: "scalar"; readonly text: string }
  | { readonly kind: "alias"; readonly name: string }
  | { readonly kind: "map"; readonly flow: boolean; readonly anchor?: string; readonly tag?: string; readonly entries: ReadonlyArray<readonly [string, YamlNode]> }
  | { readonly kind: "seq"; readonly flow: boolean; readonly anchor?: string; readonly tag?: string; readonly items: readonly YamlNode[] };

const anchor = fc.option(fc.constantFrom(...ANCHORS), { nil: undefined, freq: 4 });
const tag = fc.option(fc.constantFrom("!!map", "!!seq", "!!str", "!!set", "!!omap", "!custom", "!<tag:yaml.org,2002:int>"), { nil: undefined, freq: 8 });

/** A tree of YAML nodes: block and flow collections, anchors, aliases (also to anchors not yet defined), tags. */
export const yamlTree: fc.Arbitrary<YamlNode> = fc.letrec<{ node: YamlNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(fc.constantFrom(...SCALARS), fc.string({ maxLength: 12 })).map((text): YamlNode => ({ kind: "scalar", text })),
    fc.constantFrom(...ANCHORS).map((name): YamlNode => ({ kind: "alias", name })),
    fc.record({ flow: fc.boolean(), anchor, tag, entries: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), tie("node")), { maxLength: 5 }) })
      .map((map): YamlNode => ({ kind: "map", ...map })),
    fc.record({ flow: fc.boolean(), anchor, tag, items: fc.array(tie("node"), { maxLength: 4 }) }).map((seq): YamlNode => ({ kind: "seq", ...seq })),
  ),
})).node;

const props = (node: { anchor?: string; tag?: string }): string => [node.anchor ? `&${node.anchor}` : "", node.tag ?? ""].filter(Boolean).join(" ");

function flow(node: YamlNode): string {
  switch (node.kind) {
    case "scalar":
      return node.text;
    case "alias":
      return `*${node.name}`;
    case "map":
      return `${props(node)} {${node.entries.map(([key, value]) => `${key}: ${flow(value)}`).join(", ")}}`.trim();
    case "seq":
      return `${props(node)} [${node.items.map(flow).join(", ")}]`.trim();
  }
}

function block(node: YamlNode, indent: string): string {
  if (node.kind === "scalar" || node.kind === "alias" || node.flow) return ` ${flow(node)}`;
  const head = props(node) ? ` ${props(node)}` : "";
  if (node.kind === "map") return `${head}${node.entries.map(([key, value]) => `\n${indent}${key}:${block(value, `${indent}  `)}`).join("")}`;
  return `${head}${node.items.map((item) => `\n${indent}-${block(item, `${indent}  `)}`).join("")}`;
}

/** The tree as YAML text, mostly well-formed, sometimes not (odd keys, stray symbols, undefined aliases). */
export function renderYaml(node: YamlNode): string {
  return block(node, "").replace(/^ /, "").replace(/^\n/, "");
}

/**
 * "Billion laughs": `levels` anchors, each a list of `width` aliases of the one before, so the
 * last one expands to width^levels scalars; placed at the top, under a section, or behind a merge key.
 */
export function aliasBomb(levels: number, width: number, placement: "top" | "services" | "merge"): string {
  const lines = ["l0: &l0 [lol]"];
  for (let level = 1; level <= levels; level++) lines.push(`l${level}: &l${level} [${Array.from({ length: width }, () => `*l${level - 1}`).join(", ")}]`);
  if (placement === "top") return lines.join("\n");
  if (placement === "services") {
    return `x-anchors:\n${lines.map((line) => `  ${line}`).join("\n")}\nenvironments: {staging: {}}\nservices:\n  donations:\n    repo: hfa/donations\n    stages: *l${levels}`;
  }
  return `base: &base {${lines.map((line) => line.replace(": &", "_: &")).join(", ")}}\nenvironments:\n  staging:\n    <<: *base\n    confirm: *l${levels}`;
}
