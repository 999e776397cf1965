import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from "yaml";
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

// Problems are located one by one; an index per mapping keeps thousands of them from scanning every key each time.
const pairIndexes = new WeakMap<object, Map<string, Pair>>();

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) if (!index.has(keyText(pair.key))) index.set(keyText(pair.key), pair as Pair);
    pairIndexes.set(map, index);
  }
  return index.get(key);
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
      const pair = pairOf(node, String(segment));
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
