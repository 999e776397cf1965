import type { WhistlestopConfig } from "../model/config.js";
import { DORA_WINDOWS, type DoraWindow } from "../model/dora.js";
import { resolveTarget } from "../model/resolve-target.js";
import type { Clock } from "../ports/clock.js";
import type { DoraStore } from "../ports/dora-store.js";
import { EMPTY_JUDGED, judgeDora, judgedByTarget, summarizeDora, targetKey, type DoraMetrics, type JudgedFacts } from "./dora-metrics.js";
import type { DoraQuery } from "./dora-query.js";

const DAY_MS = 86_400_000;
const LONGEST_WINDOW = Math.max(...DORA_WINDOWS);

/** One bucket of a chart: the metrics over [from, to). */
export interface DoraBucket {
  readonly from: string;
  readonly to: string;
  readonly metrics: DoraMetrics;
}

export interface DoraTargetReport {
  readonly service: string;
  readonly env: string;
  readonly metrics: DoraMetrics;
}

/** The metrics one query asks for: over everything it covers, per target, and as a series for the charts. */
export interface DoraReport {
  readonly days: DoraWindow;
  readonly from: string;
  readonly to: string;
  readonly service?: string;
  readonly env?: string;
  readonly overall: DoraMetrics;
  /** Every configured (service, env) the query covers, in configuration order. */
  readonly targets: readonly DoraTargetReport[];
  /** Days for 7 and 30 days, weeks for 90, oldest first. */
  readonly bucketDays: number;
  readonly series: readonly DoraBucket[];
}

/** Every window of every configured target: what the Prometheus gauges show. */
export interface DoraGaugeRow {
  readonly service: string;
  readonly env: string;
  readonly window: DoraWindow;
  readonly metrics: DoraMetrics;
}

export interface DoraReportDeps {
  readonly store: Pick<DoraStore, "readDoraFacts">;
  readonly config: WhistlestopConfig;
  readonly clock: Clock;
}

/**
 * Reads the facts of the longest window once (one query for outcomes, one for lead times) and
 * computes in memory with the pure functions of dora-metrics.ts. Only configured targets are
 * reported, so history of a service removed from whistlestop.yml adds no rows or series.
 */
export class DoraReports {
  constructor(private readonly deps: DoraReportDeps) {}

  async report(query: DoraQuery): Promise<DoraReport> {
    const now = this.deps.clock.now();
    return this.build(await this.judge(new Date(now.getTime() - query.days * DAY_MS), query), query, now);
  }

  /** The report for `query.days`, and the same scope over every window (the page's summary), from one read. */
  async overview(query: DoraQuery): Promise<{ readonly report: DoraReport; readonly windows: ReadonlyArray<{ readonly days: DoraWindow; readonly metrics: DoraMetrics }> }> {
    const now = this.deps.clock.now();
    const judged = await this.judge(new Date(now.getTime() - LONGEST_WINDOW * DAY_MS), query);
    const windows = DORA_WINDOWS.map((days) => ({ days, metrics: summarizeDora(judged, new Date(now.getTime() - days * DAY_MS), now) }));
    return { report: this.build(judged, query, now), windows };
  }

  private build(judged: JudgedFacts, query: DoraQuery, now: Date): DoraReport {
    const from = new Date(now.getTime() - query.days * DAY_MS);
    const byTarget = judgedByTarget(judged);
    const bucketDays = query.days > 30 ? 7 : 1;
    const series: DoraBucket[] = [];
    for (let start = from.getTime(); start < now.getTime(); start += bucketDays * DAY_MS) {
      const end = Math.min(start + bucketDays * DAY_MS, now.getTime());
      // Bucket ends are exclusive (the next bucket starts there), the period's own end inclusive.
      const to = end === now.getTime() ? now : new Date(end - 1);
      series.push({ from: new Date(start).toISOString(), to: new Date(end).toISOString(), metrics: summarizeDora(judged, new Date(start), to) });
    }
    return {
      days: query.days,
      from: from.toISOString(),
      to: now.toISOString(),
      ...(query.service ? { service: query.service } : {}),
      ...(query.env ? { env: query.env } : {}),
      overall: summarizeDora(judged, from, now),
      targets: this.targets(query).map(({ service, env }) => ({ service, env, metrics: summarizeDora(byTarget.get(targetKey(service, env)) ?? EMPTY_JUDGED, from, now) })),
      bucketDays,
      series,
    };
  }

  /** Each configured target over 7, 30 and 90 days, from one read. */
  async gauges(): Promise<DoraGaugeRow[]> {
    const now = this.deps.clock.now();
    const byTarget = judgedByTarget(await this.judge(new Date(now.getTime() - LONGEST_WINDOW * DAY_MS), {}));
    return this.targets({}).flatMap(({ service, env }) =>
      DORA_WINDOWS.map((window) => ({
        service,
        env,
        window,
        metrics: summarizeDora(byTarget.get(targetKey(service, env)) ?? EMPTY_JUDGED, new Date(now.getTime() - window * DAY_MS), now),
      })),
    );
  }

  /** A failure's rollback comes after it, so facts from the period's start judge every deploy in it. */
  private async judge(since: Date, filter: { service?: string; env?: string }): Promise<JudgedFacts> {
    const facts = await this.deps.store.readDoraFacts({ since, ...(filter.service ? { service: filter.service } : {}), ...(filter.env ? { env: filter.env } : {}) });
    const { config } = this.deps;
    return judgeDora(facts, (service, env) => resolveTarget(config, service, env)?.deployStage ?? config.defaults.deployStage);
  }

  private targets(filter: { service?: string; env?: string }): Array<{ service: string; env: string }> {
    const { config } = this.deps;
    const services = filter.service ? [filter.service] : Object.keys(config.services);
    const envs = filter.env ? [filter.env] : Object.keys(config.environments);
    return services.flatMap((service) => envs.filter((env) => resolveTarget(config, service, env) !== undefined).map((env) => ({ service, env })));
  }
}
