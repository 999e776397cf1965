import { Metrics, MetricsNotifier } from "../../src/app/metrics.js";
import { deployRecord } from "./http-test-kit.js";

describe("Metrics", () => {
  it("keeps each instance's counters apart", async () => {
    const first = new Metrics({ defaultMetrics: false });
    const second = new Metrics({ defaultMetrics: false });
    first.recordCommandOutcome("refused");
    expect(await first.render()).toContain('whistlestop_deploys_total{outcome="refused"} 1');
    expect(await second.render()).not.toContain('outcome="refused"');
  });

  it("folds unknown HTTP methods into one label", async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.recordRequest("unmatched", "BREW", 404, 0.001);
    expect(await metrics.render()).toContain('http_requests_total{route="unmatched",method="OTHER",status="404"} 1');
  });

  it("reads the queue depth at scrape time and reports NaN when it cannot", async () => {
    let depth: () => Promise<number> = async () => 4;
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.setQueueDepthSource(() => depth());
    expect(await metrics.render()).toContain("whistlestop_queue_depth 4");
    depth = async () => {
      throw new Error("store down");
    };
    // prom-client writes "Nan"; Prometheus parses NaN case-insensitively.
    expect(await metrics.render()).toMatch(/^whistlestop_queue_depth nan$/im);
  });

  it("counts deploy events and final states through the notifier", async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const notifier = new MetricsNotifier(metrics);
    const at = "2026-01-01T10:00:00.000Z";
    await notifier.notify({ type: "started", deploy: deployRecord(), at });
    await notifier.notify({ type: "succeeded", deploy: deployRecord({ state: "succeeded" }), at });
    await notifier.notify({ type: "superseded", deploy: deployRecord({ state: "cancelled" }), at });
    const text = await metrics.render();
    expect(text).toContain('whistlestop_deploy_events_total{type="started"} 1');
    expect(text).toContain('whistlestop_deploy_events_total{type="superseded"} 1');
    expect(text).toContain('whistlestop_deploys_finished_total{state="succeeded"} 1');
    expect(text).toContain('whistlestop_deploys_finished_total{state="cancelled"} 1');
    expect(text).not.toContain('whistlestop_deploys_finished_total{state="running"}');
  });
});
