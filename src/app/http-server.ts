import type { Server } from "node:http";
import type { ApiToken } from "../adapters/http/api-tokens.js";
import { registerApiRoutes, type ApiRunner } from "../adapters/http/api-routes.js";
import type { PersonalTokenVerifier } from "../adapters/http/bearer-auth.js";
import type { DeployEventSource } from "../adapters/http/deploy-event-stream.js";
import { HttpServer } from "../adapters/http/http-server.js";
import { OPS_ROUTES, registerOpsRoutes } from "../adapters/http/ops-routes.js";
import { registerDoraRoutes } from "../adapters/http/dora-routes.js";
import type { DoraReports } from "../core/metrics/dora-report.js";
import type { WhistlestopConfig } from "../core/model/config.js";
import type { DeployView } from "../core/commands/command-result.js";
import type { Deploy } from "../core/model/deploy.js";
import type { HttpMount, MountHandler, MountMatcher } from "../ports/surface.js";
import { redactText, type Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";

export { parseApiTokens, ApiTokensError, type ApiToken } from "../adapters/http/api-tokens.js";

export interface StartHttpServerOptions {
  readonly port: number;
  /** Default: every interface. */
  readonly host?: string;
  readonly runner: ApiRunner;
  /** The EventHub (only its subscribe side is used). */
  readonly events: DeployEventSource;
  readonly apiTokens: readonly ApiToken[];
  /** Personal tokens from `/deploy token`; absent: only WHISTLESTOP_API_TOKENS. */
  readonly personalTokens?: PersonalTokenVerifier;
  /** Store ping for /readyz. */
  readonly ready: () => Promise<void>;
  /** Extra facts /readyz shows when there are any (the watchdog's silent deploys). */
  readonly readyDetails?: () => Record<string, unknown> | undefined;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Other surfaces (Probot, Bolt, pipeline events), tried in order before the API routes. */
  readonly mounts?: readonly HttpMount[];
  /** Deploy → API view for streamed events (e.g. to add executionUrl); default toDeployView. */
  readonly toView?: (deploy: Deploy) => DeployView;
  /** Longest wait for in-flight requests in drain(); default 10 s. */
  readonly drainTimeoutMs?: number;
  /** Default 1 MiB. */
  readonly bodyLimitBytes?: number;
  /** Event streams: heartbeat (default 15 s) and store re-read (default 5 s) intervals. */
  readonly stream?: { readonly heartbeatMs?: number; readonly pollMs?: number };
  readonly readyTimeoutMs?: number;
  readonly now?: () => Date;
  /** DORA metrics at GET /api/v1/metrics/dora; absent: the route is not served. */
  readonly dora?: { readonly reports: Pick<DoraReports, "report">; readonly config: WhistlestopConfig };
}

export interface RunningHttpServer {
  /** e.g. http://localhost:3000 */
  readonly url: string;
  readonly server: Server;
  /** Mount another surface after start-up; tried after the ones already mounted. */
  mount(match: MountMatcher, handler: MountHandler, name?: string): void;
  /** Called when draining starts (event streams end then); returns the unregister function. */
  onDrain(listener: () => void): () => void;
  /** Graceful: refuse new commands, finish in-flight requests (up to drainTimeoutMs), end streams, close sockets. */
  drain(): Promise<void>;
  /** Immediate: end everything now. */
  close(): Promise<void>;
  /** Requests being answered now, event streams left out. */
  answering(): number;
}

/** The one HTTP server, on PORT: probes, metrics, the API, and mounted surfaces. */
export async function startHttpServer(options: StartHttpServerOptions): Promise<RunningHttpServer> {
  const http = new HttpServer({ logger: options.logger, metrics: options.metrics, quietRoutes: OPS_ROUTES });
  for (const mount of options.mounts ?? []) http.mount(mount.match, mount.handler, mount.name);
  registerOpsRoutes(http, {
    ready: options.ready,
    ...(options.readyDetails ? { details: options.readyDetails } : {}),
    metrics: options.metrics,
    logger: options.logger,
    redact: redactText,
    ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
  });
  registerApiRoutes(http, {
    runner: options.runner,
    events: options.events,
    apiTokens: options.apiTokens,
    ...(options.personalTokens ? { personalTokens: options.personalTokens } : {}),
    logger: options.logger,
    metrics: options.metrics,
    ...(options.toView ? { toView: options.toView } : {}),
    ...(options.bodyLimitBytes !== undefined ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
    ...(options.stream ? { stream: options.stream } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  if (options.dora) {
    registerDoraRoutes(http, {
      ...options.dora,
      apiTokens: options.apiTokens,
      ...(options.personalTokens ? { personalTokens: options.personalTokens } : {}),
      logger: options.logger,
    });
  }
  const url = await http.listen(options.port, options.host);
  if (options.apiTokens.length === 0) {
    options.logger.warn("WHISTLESTOP_API_TOKENS is empty: the HTTP API refuses every request until tokens are set");
  }
  options.logger.info({ url, apiTokenNames: options.apiTokens.map((token) => token.name) }, "HTTP server listening");
  return {
    url,
    server: http.server,
    mount: (match, handler, name) => void http.mount(match, handler, name),
    onDrain: (listener) => http.onDrain(listener),
    drain: () => http.drain(options.drainTimeoutMs ?? 10_000),
    close: () => http.close(),
    answering: () => http.answering(),
  };
}

