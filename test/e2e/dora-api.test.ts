import { seedHistory, WEEK_OF_DONATIONS } from "../kit/dora-history.js";
import { startTestApp, TEST_TOKEN, type TestApp } from "../kit/test-app.js";

const H = 3600;

describe("DORA metrics through the real server: GET /api/v1/metrics/dora and /metrics", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedHistory(t.store, new Date(), "donations", "prod", WEEK_OF_DONATIONS);
  });
  afterAll(async () => {
    await t.close();
  });

  const get = async (query: string, token: string | null = TEST_TOKEN) => {
    const response = await fetch(`${t.url}/api/v1/metrics/dora${query}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test("one target over 7 days: the four metrics as the history says (worked out in test/kit/dora-history.ts)", async () => {
    const { status, body } = await get("?service=donations&env=prod&days=7");
    expect(status).toBe(200);
    expect(body).toMatchObject({ days: 7, service: "donations", env: "prod", bucketDays: 1 });
    expect(body.overall).toEqual({
      deploymentFrequency: { perDay: 5 / 7, deploys: 5 },
      leadTime: { changes: 4, medianSeconds: 5 * H, p90Seconds: 10 * H },
      changeFailureRate: { rate: 2 / 7, failures: 2, deploys: 7 },
      timeToRestore: { medianSeconds: 1.5 * H, restored: 2, unrestored: 0 },
    });
    expect(body.targets).toEqual([{ service: "donations", env: "prod", metrics: body.overall }]);
    expect(body.series).toHaveLength(7);
    expect(Date.parse(String(body.to)) - Date.parse(String(body.from))).toBe(7 * 86_400_000);
  });

  test("every target by default over 30 days; targets with no history measure nothing (null), never 0", async () => {
    const { status, body } = await get("");
    expect(status).toBe(200);
    expect(body.days).toBe(30);
    const targets = body.targets as Array<{ service: string; env: string; metrics: { changeFailureRate: { rate: number | null } } }>;
    expect(targets.length).toBe(Object.keys(t.config.services).length * Object.keys(t.config.environments).length);
    expect(targets.find((x) => x.service === "events" && x.env === "staging")?.metrics.changeFailureRate.rate).toBeNull();
  });

  test.each([
    ["?days=14", "days must be one of 7, 30, 90"],
    ["?service=donatoins", 'unknown service "donatoins" — did you mean "donations"?'],
    ["?env=qa", 'unknown environment "qa"'],
    ["?servce=donations", 'Unknown parameter "servce"'],
    ["?days=7&days=30", 'The parameter "days" is given 2 times'],
  ])("%s → 400 with a message that says what would work", async (query, message) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(String(body.error)).toContain(message);
  });

  test("a bearer token is needed, as on every API route", async () => {
    expect((await get("", null)).status).toBe(401);
    expect((await get("", "not-a-token")).status).toBe(401);
  });

  test("/metrics has the DORA gauges per service, env and window, only where something was measured", async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toContain('whistlestop_dora_deployment_frequency_per_day{service="donations",env="prod",window="7d"} 0.7142857142857143');
    expect(text).toContain('whistlestop_dora_deployment_frequency_per_day{service="events",env="staging",window="90d"} 0');
    expect(text).toContain('whistlestop_dora_lead_time_median_seconds{service="donations",env="prod",window="7d"} 18000');
    expect(text).toContain('whistlestop_dora_lead_time_p90_seconds{service="donations",env="prod",window="30d"} 36000');
    expect(text).toContain('whistlestop_dora_change_failure_rate{service="donations",env="prod",window="90d"} 0.2857142857142857');
    expect(text).toContain('whistlestop_dora_time_to_restore_median_seconds{service="donations",env="prod",window="7d"} 5400');
    expect(text).not.toContain('whistlestop_dora_change_failure_rate{service="events"');
    const series = text.split("\n").filter((l) => l.startsWith("whistlestop_dora_deployment_frequency_per_day{"));
    expect(series).toHaveLength(Object.keys(t.config.services).length * Object.keys(t.config.environments).length * 3);
  });
});
