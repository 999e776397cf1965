import type { Logger } from "pino";
import type { HttpServer } from "./http-server.js";
import { sendJson } from "./send-json.js";

export interface OpsRoutesDeps {
  /** Resolves when the store answers (a ping); rejects otherwise. */
  readonly ready: () => Promise<void>;
  /** What a ready replica adds to its answer when something needs a look (deploys it hears nothing about). */
  readonly details?: () => Record<string, unknown> | undefined;
  readonly metrics: { readonly contentType: string; render(): Promise<string> };
  readonly logger: Logger;
  /** A store that does not answer within this is unavailable; default 5 s. */
  readonly readyTimeoutMs?: number;
  /** Scrubs credentials from error text before it is shown (readiness is often public). */
  readonly redact?: (text: string) => string;
}

export const OPS_ROUTES = ["/healthz", "/readyz", "/metrics"] as const;

/** Liveness, readiness and Prometheus metrics; unauthenticated, as probes and scrapers expect. */
export function registerOpsRoutes(server: HttpServer, deps: OpsRoutesDeps): void {
  const redact = deps.redact ?? ((text: string) => text);

  server.route("GET", "/healthz", ({ res }) => sendJson(res, 200, { status: "ok" }));

  server.route("GET", "/readyz", async ({ res }) => {
    if (server.draining) return sendJson(res, 503, { status: "unavailable", error: "Whistlestop is shutting down." });
    try {
      await withDeadline(deps.ready(), deps.readyTimeoutMs ?? 5_000);
      const details = deps.details?.();
      sendJson(res, 200, { status: "ok", ...(details ? { details } : {}) });
    } catch (error) {
      const reason = redact(error instanceof Error ? error.message : String(error));
      deps.logger.warn({ err: error }, "readiness check failed");
      sendJson(res, 503, { status: "unavailable", error: `The store is not reachable: ${reason}` });
    }
  });

  server.route("GET", "/metrics", async ({ res }) => {
    const body = await deps.metrics.render();
    res.writeHead(200, { "Content-Type": deps.metrics.contentType, "Cache-Control": "no-store" });
    res.end(body);
  });
}

async function withDeadline(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
