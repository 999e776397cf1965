import { Gauge, type Registry } from "prom-client";
import type { DoraGaugeRow, DoraReports } from "../core/metrics/dora-report.js";
import type { DoraMetrics } from "../core/metrics/dora-metrics.js";
import type { Logger } from "./logger.js";

/** One scrape reads the store once for all five gauges; a read this recent is reused. */
const FRESH_MS = 5_000;

const GAUGES: ReadonlyArray<{ readonly name: string; readonly help: string; readonly value: (m: DoraMetrics) => number | null }> = [
  { name: "whistlestop_dora_deployment_frequency_per_day", help: "Succeeded deploys per day over the window.", value: (m) => m.deploymentFrequency.perDay },
  { name: "whistlestop_dora_lead_time_median_seconds", help: "Median time from a pull request's merge to its first time live, for changes live in the window.", value: (m) => m.leadTime.medianSeconds },
  { name: "whistlestop_dora_lead_time_p90_seconds", help: "90th percentile (nearest rank) of merge to live, for changes live in the window.", value: (m) => m.leadTime.p90Seconds },
  {
    name: "whistlestop_dora_change_failure_rate",
    help: "Deploys that failed after their deploy stage started, or were rolled back within 24h, over the deploys that ended in the window (0 to 1).",
    value: (m) => m.changeFailureRate.rate,
  },
  { name: "whistlestop_dora_time_to_restore_median_seconds", help: "Median time from a change failure to the next succeeded deploy of the same service and environment.", value: (m) => m.timeToRestore.medianSeconds },
];

/**
 * DORA metrics as Prometheus gauges, labelled service, env and window (7d, 30d, 90d) only, for
 * configured targets only, so the series count is bounded by whistlestop.yml. A value that cannot
 * be measured (no deploys, no restored failure) is left out rather than reported as 0.
 */
export function registerDoraGauges(registry: Registry, reports: Pick<DoraReports, "gauges">, logger: Logger): void {
  let last: { readonly at: number; readonly rows: Promise<DoraGaugeRow[] | undefined> } | undefined;
  const rows = (): Promise<DoraGaugeRow[] | undefined> => {
    const now = performance.now();
    if (!last || now - last.at > FRESH_MS) {
      const read = reports.gauges().catch((error: unknown) => {
        logger.warn({ err: error }, "could not read DORA facts for /metrics; the DORA gauges are left out of this scrape");
        return undefined;
      });
      last = { at: now, rows: read };
    }
    return last.rows;
  };
  for (const spec of GAUGES) {
    new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames: ["service", "env", "window"] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const row of (await rows()) ?? []) {
          const value = spec.value(row.metrics);
          if (value !== null) this.set({ service: row.service, env: row.env, window: `${row.window}d` }, value);
        }
      },
    });
  }
}
