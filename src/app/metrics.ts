import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Outcome } from "../core/commands/command-result.js";
import type { DeployState } from "../core/model/deploy.js";
import type { DeployEvent, Notifier } from "../core/ports/notifier.js";

export interface MetricsOptions {
  /** Read on every scrape (queued deploys in the store); a failure reports NaN rather than failing the scrape. */
  readonly queueDepth?: () => Promise<number>;
  /** Process metrics (CPU, memory, event loop); default true. */
  readonly defaultMetrics?: boolean;
}

/** HTTP methods become a fixed label set so a client cannot grow the series count. */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Whistlestop's Prometheus metrics on a registry of its own (not prom-client's global
 * one), so two servers in one process, or two tests, never share counters.
 */
export class Metrics {
  readonly registry = new Registry();
  private queueDepthSource: (() => Promise<number>) | undefined;

  private readonly requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by route pattern, method and status code.",
    labelNames: ["route", "method", "status"] as const,
    registers: [this.registry],
  });

  private readonly requestDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time to answer HTTP requests, by route pattern and method.",
    labelNames: ["route", "method"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly commandOutcomes = new Counter({
    name: "whistlestop_deploys_total",
    help: "Commands decided, by outcome (started, queued, waiting, refused, done, error).",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  private readonly deployEvents = new Counter({
    name: "whistlestop_deploy_events_total",
    help: "Deploy lifecycle events, by type.",
    labelNames: ["type"] as const,
    registers: [this.registry],
  });

  private readonly deploysFinished = new Counter({
    name: "whistlestop_deploys_finished_total",
    help: "Deploys that reached a final state, by state.",
    labelNames: ["state"] as const,
    registers: [this.registry],
  });

  constructor(options: MetricsOptions = {}) {
    this.queueDepthSource = options.queueDepth;
    const source = () => this.queueDepthSource;
    new Gauge({
      name: "whistlestop_queue_depth",
      help: "Deploys waiting in a queue, read from the store at scrape time.",
      registers: [this.registry],
      async collect() {
        const read = source();
        if (!read) return;
        try {
          this.set(await read());
        } catch {
          this.set(Number.NaN);
        }
      },
    });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** For wiring orders where the store exists only after the metrics. */
  setQueueDepthSource(queueDepth: () => Promise<number>): void {
    this.queueDepthSource = queueDepth;
  }

  /** `route` is the matched pattern (e.g. /api/v1/deploys/:id), never the raw path. */
  recordRequest(route: string, method: string, status: number, durationSeconds?: number): void {
    const normalizedMethod = KNOWN_METHODS.has(method) ? method : "OTHER";
    this.requests.inc({ route, method: normalizedMethod, status: String(status) });
    if (durationSeconds !== undefined) this.requestDuration.observe({ route, method: normalizedMethod }, durationSeconds);
  }

  recordCommandOutcome(outcome: Outcome | "error"): void {
    this.commandOutcomes.inc({ outcome });
  }

  recordDeployEvent(event: Pick<DeployEvent, "type" | "deploy">): void {
    this.deployEvents.inc({ type: event.type });
  }

  recordDeployFinished(state: DeployState): void {
    this.deploysFinished.inc({ state });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

const FINAL_EVENT_STATES: Partial<Record<DeployEvent["type"], DeployState>> = {
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
  superseded: "cancelled",
};

/** Counts deploy events; plug it into the FanOutNotifier next to Slack and GitHub. */
export class MetricsNotifier implements Notifier {
  constructor(private readonly metrics: Metrics) {}

  async notify(event: DeployEvent): Promise<void> {
    this.metrics.recordDeployEvent(event);
    const finalState = FINAL_EVENT_STATES[event.type];
    if (finalState) this.metrics.recordDeployFinished(finalState);
  }
}
