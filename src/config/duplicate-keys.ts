import { isCollection, isMap, isPair, isScalar, type Document, type LineCounter } from "yaml";
import type { ConfigProblem } from "./config-problem.js";

/**
 * Every repeated key of every mapping, in one pass. The yaml package's own `uniqueKeys` check
 * compares each key with all earlier ones, which takes minutes on a file with 100 000 keys;
 * this keeps loading linear. Walked with an explicit stack so deep nesting cannot overflow.
 */
export function duplicateKeyProblems(doc: Document, counter: LineCounter): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!isCollection(node)) continue;
    const seen = isMap(node) ? new Set<unknown>() : undefined;
    for (const item of node.items) {
      if (!isPair(item)) {
        pending.push(item);
        continue;
      }
      pending.push(item.key, item.value);
      if (!seen || !isScalar(item.key)) continue;
      const value: unknown = item.key.value;
      if (!seen.has(value)) {
        seen.add(value);
        continue;
      }
      const line = item.key.range ? counter.linePos(item.key.range[0]).line : 1;
      problems.push({ path: [], line, message: `YAML syntax error: the key "${String(value).slice(0, 100)}" appears twice in one mapping; map keys must be unique` });
    }
  }
  return problems;
}
