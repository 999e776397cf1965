import { Metrics } from "../../src/app/metrics.js";
import { errorOf, jsonOf, postCommand, startTestServer, type TestServer } from "./http-test-kit.js";

describe("probes and metrics", () => {
  let server: TestServer;
  afterEach(() => server.close());

  it("answers /healthz without a token", async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({ status: "ok" });
  });

  it("answers /readyz 200 when the store answers", async () => {
    server = await startTestServer({ ready: async () => {} });
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({ status: "ok" });
  });

  it("answers /readyz 503 with the reason when the store does not, without leaking credentials", async () => {
    server = await startTestServer({
      ready: async () => {
        throw new Error("connect ECONNREFUSED postgres://whistlestop:hunter2@db:5432/whistlestop");
      },
    });
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    const body = await jsonOf(response);
    expect(body.status).toBe("unavailable");
    expect(body.error).toMatch(/store is not reachable: connect ECONNREFUSED/);
    expect(body.error).not.toContain("hunter2");
  });

  it("answers /readyz 503 when the store hangs", async () => {
    server = await startTestServer({ ready: () => new Promise(() => {}), readyTimeoutMs: 20 });
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect((await errorOf(response))).toMatch(/no answer within 20 ms/);
  });

  it("serves Prometheus metrics that count requests by route pattern and command outcomes", async () => {
    server = await startTestServer({ metrics: new Metrics({ defaultMetrics: true, queueDepth: async () => 7 }) });
    await fetch(`${server.url}/healthz`);
    await postCommand(server, { text: "deploy donations staging" });
    await fetch(`${server.url}/api/v1/deploys/d-unknown`, { headers: { Authorization: "Bearer nope" } });
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('http_requests_total{route="/healthz",method="GET",status="200"} 1');
    expect(text).toContain('http_requests_total{route="/api/v1/commands",method="POST",status="200"} 1');
    expect(text).toContain('http_requests_total{route="/api/v1/deploys/:id",method="GET",status="401"} 1');
    expect(text).toContain("http_request_duration_seconds_bucket");
    expect(text).toContain('whistlestop_deploys_total{outcome="started"} 1');
    expect(text).toContain("whistlestop_queue_depth 7");
    expect(text).toContain("# TYPE whistlestop_deploy_events_total counter");
    expect(text).toContain("# TYPE whistlestop_deploys_finished_total counter");
    expect(text).toContain("process_cpu_user_seconds_total");
  });

  it("answers 405 for POST /healthz", async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/healthz`, { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
  });
});
