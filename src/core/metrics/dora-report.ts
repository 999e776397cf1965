import type { WhistlestopConfig } from "../model/config.js";
import { DORA_WINDOWS, type DoraWindow } from "../model/dora.js";
import { resolveTarget } from "../model/resolve-target.js";
import type { Clock } from "../ports/clock.js";
import type { DoraStore } from "../ports/dora-store.js";
import { EMPTY_JUDGED, judgeDora, judgedByTarget, summarizeDora, targetKey, type DoraMetrics, type JudgedFacts } from "./dora-metrics.js";
import type { DoraQuery } from "./dora-query.js";

const DAY_MS = 86_400_000;
const LONGEST_WINDOW = Math.max(...DORA_WINDOWS);
/** How old the metrics may be: a snapshot older than this is read again (in the background while the old one is served). */
export const DORA_MAX_AGE_MS = 60_000;

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
  /** When the facts were read: the metrics are as of then. */
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

/** A report and the same scope over every window (the page's summary). */
export interface DoraView {
  readonly report: DoraReport;
  readonly windows: ReadonlyArray<{ readonly days: DoraWindow; readonly metrics: DoraMetrics }>;
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
  readonly maxAgeMs?: number;
}

/** The longest window's facts of every target, judged once, and the views computed from them so far. */
interface Snapshot {
  readonly at: Date;
  readonly byTarget: ReadonlyMap<string, JudgedFacts>;
  readonly views: Map<string, DoraView>;
  gauges?: DoraGaugeRow[];
}

/**
 * DORA metrics from a snapshot: the facts of the last 90 days of every target, read in two
 * queries and judged once by the pure functions of dora-metrics.ts, then summed up per query and
 * kept until the snapshot is replaced. A year of history is a few tens of thousands of facts in
 * 90 days: reading and judging them takes a few hundred milliseconds, too long for every page
 * view, while the metrics themselves move over days. So a snapshot serves for a minute; after
 * that the next request gets the old one at once and a new one is read behind it (only the first
 * request of a replica waits for a read). Only configured targets are reported, so history of a
 * service removed from whistlestop.yml adds no rows or series.
 */
export class DoraReports {
  private snapshot: Snapshot | undefined;
  private reading: Promise<Snapshot> | undefined;

  constructor(private readonly deps: DoraReportDeps) {}

  async report(query: DoraQuery): Promise<DoraReport> {
    return (await this.view(query)).report;
  }

  async view(query: DoraQuery): Promise<DoraView> {
    const snapshot = await this.current();
    const key = `${query.service ?? ""}/${query.env ?? ""}/${query.days}`;
    let view = snapshot.views.get(key);
    if (!view) snapshot.views.set(key, (view = this.build(snapshot, query)));
    return view;
  }

  /** Each configured target over 7, 30 and 90 days. */
  async gauges(): Promise<DoraGaugeRow[]> {
    const snapshot = await this.current();
    const now = snapshot.at;
    snapshot.gauges ??= this.targets({}).flatMap(({ service, env }) =>
      DORA_WINDOWS.map((window) => ({
        service,
        env,
        window,
        metrics: summarizeDora(snapshot.byTarget.get(targetKey(service, env)) ?? EMPTY_JUDGED, new Date(now.getTime() - window * DAY_MS), now),
      })),
    );
    return snapshot.gauges;
  }

  /** Reads the facts again now (a new snapshot), e.g. right after importing history. */
  async refresh(): Promise<void> {
    await this.read();
  }

  private async current(): Promise<Snapshot> {
    const snapshot = this.snapshot;
    if (!snapshot) return this.read();
    if (this.deps.clock.now().getTime() - snapshot.at.getTime() > (this.deps.maxAgeMs ?? DORA_MAX_AGE_MS)) {
      // Served stale this once; a failed read leaves the old snapshot and is tried at the next request.
      this.read().catch(() => undefined);
    }
    return snapshot;
  }

  private read(): Promise<Snapshot> {
    this.reading ??= (async () => {
      try {
        const at = this.deps.clock.now();
        const facts = await this.deps.store.readDoraFacts({ since: new Date(at.getTime() - LONGEST_WINDOW * DAY_MS) });
        const { config } = this.deps;
        const judged = judgeDora(facts, (service, env) => resolveTarget(config, service, env)?.deployStage ?? config.defaults.deployStage);
        this.snapshot = { at, byTarget: judgedByTarget(judged), views: new Map() };
        return this.snapshot;
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  private build(snapshot: Snapshot, query: DoraQuery): DoraView {
    const now = snapshot.at;
    const from = new Date(now.getTime() - query.days * DAY_MS);
    const targets = this.targets(query);
    const slices = targets.map(({ service, env }) => snapshot.byTarget.get(targetKey(service, env)) ?? EMPTY_JUDGED);
    // Judging is per target, so the scope's facts are its targets' facts put together.
    const scope: JudgedFacts = slices.length === 1 ? slices[0]! : { deploys: slices.flatMap((s) => s.deploys), incidents: slices.flatMap((s) => s.incidents), leadTimes: slices.flatMap((s) => s.leadTimes) };
    const inWindow = (days: number): JudgedFacts => {
      const lo = now.getTime() - days * DAY_MS;
      return { deploys: scope.deploys.filter((d) => d.finishedMs >= lo), incidents: scope.incidents.filter((i) => i.startMs >= lo), leadTimes: scope.leadTimes.filter((l) => l.liveMs >= lo) };
    };
    const period = inWindow(query.days);
    const bucketDays = query.days > 30 ? 7 : 1;
    const series: DoraBucket[] = [];
    for (let start = from.getTime(); start < now.getTime(); start += bucketDays * DAY_MS) {
      const end = Math.min(start + bucketDays * DAY_MS, now.getTime());
      // Bucket ends are exclusive (the next bucket starts there), the period's own end inclusive.
      const to = end === now.getTime() ? now : new Date(end - 1);
      series.push({ from: new Date(start).toISOString(), to: new Date(end).toISOString(), metrics: summarizeDora(period, new Date(start), to) });
    }
    const report: DoraReport = {
      days: query.days,
      from: from.toISOString(),
      to: now.toISOString(),
      ...(query.service ? { service: query.service } : {}),
      ...(query.env ? { env: query.env } : {}),
      overall: summarizeDora(period, from, now),
      targets: targets.map(({ service, env }, i) => ({ service, env, metrics: summarizeDora(slices[i]!, from, now) })),
      bucketDays,
      series,
    };
    const windows = DORA_WINDOWS.map((days) => ({ days, metrics: days === query.days ? report.overall : summarizeDora(inWindow(days), new Date(now.getTime() - days * DAY_MS), now) }));
    return { report, windows };
  }

  private targets(filter: { service?: string; env?: string }): Array<{ service: string; env: string }> {
    const { config } = this.deps;
    const services = filter.service ? [filter.service] : Object.keys(config.services);
    const envs = filter.env ? [filter.env] : Object.keys(config.environments);
    return services.flatMap((service) => envs.filter((env) => resolveTarget(config, service, env) !== undefined).map((env) => ({ service, env })));
  }
}

/** One DoraReports per store and configuration, so the page, the API and the gauges of a replica share its snapshot. */
const shared = new WeakMap<object, WeakMap<WhistlestopConfig, DoraReports>>();

export function doraReportsFor(deps: DoraReportDeps): DoraReports {
  let byConfig = shared.get(deps.store);
  if (!byConfig) shared.set(deps.store, (byConfig = new WeakMap()));
  let reports = byConfig.get(deps.config);
  if (!reports) byConfig.set(deps.config, (reports = new DoraReports(deps)));
  return reports;
}
