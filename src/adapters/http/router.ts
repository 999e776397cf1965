import type { IncomingMessage, ServerResponse } from "node:http";

export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Decoded `:name` segments of the pattern. */
  readonly params: Readonly<Record<string, string>>;
}

export type RouteHandler = (context: RouteContext) => Promise<void> | void;

export type RouteMatch =
  | { readonly kind: "found"; readonly route: string; readonly handler: RouteHandler; readonly params: Record<string, string> }
  | { readonly kind: "method_not_allowed"; readonly route: string; readonly allowed: readonly string[] }
  | { readonly kind: "not_found" };

interface Route {
  readonly method: string;
  readonly pattern: string;
  readonly segments: readonly string[];
  readonly handler: RouteHandler;
}

const split = (path: string): string[] => path.split("/").filter((segment) => segment !== "");

/** A route table: exact segments and `:param` segments, matched by method and path. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): this {
    this.routes.push({ method: method.toUpperCase(), pattern, segments: split(pattern), handler });
    return this;
  }

  match(method: string, pathname: string): RouteMatch {
    const segments = split(pathname);
    const candidates: Array<{ route: Route; params: Record<string, string> }> = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (params) candidates.push({ route, params });
    }
    if (candidates.length === 0) return { kind: "not_found" };
    const wanted = method === "HEAD" ? ["HEAD", "GET"] : [method];
    for (const verb of wanted) {
      const hit = candidates.find((candidate) => candidate.route.method === verb);
      if (hit) return { kind: "found", route: hit.route.pattern, handler: hit.route.handler, params: hit.params };
    }
    const allowed = [...new Set(candidates.map((candidate) => candidate.route.method))];
    return { kind: "method_not_allowed", route: candidates[0]!.route.pattern, allowed };
  }
}

function matchSegments(pattern: readonly string[], path: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== path.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const actual = path[i]!;
    if (expected.startsWith(":")) {
      const decoded = safeDecode(actual);
      if (decoded === undefined) return undefined;
      params[expected.slice(1)] = decoded;
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
