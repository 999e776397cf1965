import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import type { ConfigPath } from "./config-problem.js";

interface Ranged {
  readonly range?: readonly [number, number, number] | null;
}

function lineOfNode(node: unknown, counter: LineCounter): number | undefined {
  const range = (node as Ranged | null | undefined)?.range;
  return range ? counter.linePos(range[0]).line : undefined;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function followAlias(node: unknown, doc: Document): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/**
 * The line to blame for `path`: the key's line for mappings, lists and `at: "key"`, the
 * value's line for scalars. A path that does not exist (a missing field) falls back to the
 * deepest part that does, so "required" problems point at the object that lacks the field.
 */
export function lineOfPath(doc: Document, counter: LineCounter, path: ConfigPath, at: "key" | "value" = "value"): number {
  let node: unknown = doc.contents;
  let line = lineOfNode(node, counter) ?? 1;
  for (const [index, segment] of path.entries()) {
    node = followAlias(node, doc);
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(segment));
      if (!pair) return line;
      const keyLine = lineOfNode(pair.key, counter) ?? line;
      const value = followAlias(pair.value, doc);
      if (last) return at === "key" || !isScalar(value) ? keyLine : (lineOfNode(pair.value, counter) ?? keyLine);
      line = keyLine;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item: unknown = node.items[segment];
      if (item === undefined) return line;
      line = lineOfNode(item, counter) ?? line;
      node = item as Node;
    } else {
      return line;
    }
  }
  return line;
}
