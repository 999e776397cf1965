import { auth, deployRecord, deployView, errorOf, jsonOf, sseReader, startTestServer, type TestServer } from "./http-test-kit.js";

describe("GET /api/v1/deploys", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(() => server.close());

  it("answers a deploy by id", async () => {
    server.runner.deploys.set("d-1", deployView());
    const response = await fetch(`${server.url}/api/v1/deploys/d-1`, { headers: auth() });
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual(deployView());
  });

  it.each(["d-404", "not%20an%20id", "x".repeat(129)])("answers 404 with a message for unknown id %s", async (id) => {
    const response = await fetch(`${server.url}/api/v1/deploys/${id}`, { headers: auth() });
    expect(response.status).toBe(404);
    expect((await errorOf(response))).toMatch(/No deploy .*GET \/api\/v1\/deploys/);
  });

  it("passes the service, env and limit filter to the runner", async () => {
    server.runner.deploys.set("d-1", deployView());
    const response = await fetch(`${server.url}/api/v1/deploys?service=donations&env=prod&limit=5`, { headers: auth() });
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({ deploys: [deployView()] });
    await fetch(`${server.url}/api/v1/deploys`, { headers: auth() });
    expect(server.runner.listCalls).toEqual([{ service: "donations", env: "prod", limit: 5 }, {}]);
  });

  it.each(["limit=0", "limit=abc", "limit=501", "service=a%20b"])("answers 400 for the query %s", async (query) => {
    const response = await fetch(`${server.url}/api/v1/deploys?${query}`, { headers: auth() });
    expect(response.status).toBe(400);
    expect((await errorOf(response))).toMatch(/query parameter/);
  });

  it("requires the bearer token for reads", async () => {
    server.runner.deploys.set("d-1", deployView());
    for (const path of ["/api/v1/deploys", "/api/v1/deploys/d-1", "/api/v1/deploys/d-1/events"]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    expect(server.runner.listCalls).toHaveLength(0);
  });

  it("answers 503 with a message when the store cannot be read", async () => {
    server.runner.getDeployImpl = async () => {
      throw new Error("connection refused");
    };
    const response = await fetch(`${server.url}/api/v1/deploys/d-1`, { headers: auth() });
    expect(response.status).toBe(503);
    expect((await errorOf(response))).toMatch(/cannot reach its database/);
  });

  it("answers unknown paths with a JSON 404", async () => {
    const response = await fetch(`${server.url}/api/v2/nothing`, { headers: auth() });
    expect(response.status).toBe(404);
    expect((await errorOf(response))).toMatch(/POST \/api\/v1\/commands/);
  });
});

describe("GET /api/v1/deploys/:id/events", () => {
  let server: TestServer;
  afterEach(() => server.close());

  const openStream = async (id = "d-1") => {
    const response = await fetch(`${server.url}/api/v1/deploys/${id}/events`, { headers: auth() });
    return { response, events: sseReader(response) };
  };

  it("sends the current state, then each event, and closes at a final state", async () => {
    server = await startTestServer({ stream: { pollMs: 60_000, heartbeatMs: 60_000 } });
    server.runner.deploys.set("d-1", deployView());
    const { response, events } = await openStream();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);

    const first = await events.next();
    expect(first).toMatchObject({ event: "snapshot", data: { type: "snapshot", deploy: deployView() } });

    const progressing = deployRecord({ stages: [{ name: "Bake", status: "succeeded" }, { name: "Deploy", status: "running" }] });
    await server.events.notify({ type: "progress", deploy: progressing, at: "2026-01-01T10:05:00.000Z" });
    const progress = await events.next();
    expect(progress?.event).toBe("progress");
    expect(progress?.data).toMatchObject({ type: "progress", at: "2026-01-01T10:05:00.000Z" });
    expect((progress?.data.deploy as { stages: unknown[] }).stages).toEqual([
      { name: "Bake", state: "succeeded" },
      { name: "Deploy", state: "running" },
    ]);

    // Another deploy's events are not part of this stream.
    await server.events.notify({ type: "failed", deploy: deployRecord({ id: "d-2", state: "failed" }), at: "2026-01-01T10:06:00.000Z" });
    const done = deployRecord({ state: "succeeded", artifact: "ami-123", finishedAt: "2026-01-01T10:09:00.000Z" });
    await server.events.notify({ type: "succeeded", deploy: done, note: "took 9m", at: "2026-01-01T10:09:00.000Z" });
    const succeeded = await events.next();
    expect(succeeded).toMatchObject({
      event: "succeeded",
      data: { type: "succeeded", note: "took 9m", deploy: { id: "d-1", state: "succeeded", artifact: "ami-123" } },
    });
    expect(await events.next()).toEqual({ event: "end", data: { reason: "final", state: "succeeded" } });
    expect(await events.next()).toBeUndefined();
  });

  it("sends a deploy that already finished and closes", async () => {
    server = await startTestServer();
    server.runner.deploys.set("d-1", deployView({ state: "failed", error: "Deploy stage failed" }));
    const { events } = await openStream();
    expect(await events.next()).toMatchObject({ event: "snapshot", data: { deploy: { state: "failed" } } });
    expect(await events.next()).toMatchObject({ event: "end", data: { reason: "final" } });
    expect(await events.next()).toBeUndefined();
  });

  it("answers 404 for an unknown deploy", async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/api/v1/deploys/d-missing/events`, { headers: auth() });
    expect(response.status).toBe(404);
    expect((await errorOf(response))).toMatch(/No deploy with id "d-missing"/);
  });

  it("re-reads the store for changes made on another replica", async () => {
    server = await startTestServer({ stream: { pollMs: 10, heartbeatMs: 60_000 } });
    server.runner.deploys.set("d-1", deployView());
    const { events } = await openStream();
    expect(await events.next()).toMatchObject({ event: "snapshot", data: { deploy: { state: "running" } } });
    server.runner.deploys.set("d-1", deployView({ state: "succeeded", artifact: "ami-9" }));
    expect(await events.next()).toMatchObject({ event: "snapshot", data: { deploy: { state: "succeeded", artifact: "ami-9" } } });
    expect(await events.next()).toMatchObject({ event: "end", data: { reason: "final" } });
  });

  it("sends heartbeat comments while nothing happens", async () => {
    server = await startTestServer({ stream: { pollMs: 60_000, heartbeatMs: 5 } });
    server.runner.deploys.set("d-1", deployView());
    const { events } = await openStream();
    await events.next();
    const heartbeat = events.nextComment();
    const reading = events.next();
    expect(await heartbeat).toBe("heartbeat");
    await server.events.notify({ type: "cancelled", deploy: deployRecord({ state: "cancelled" }), at: "2026-01-01T10:09:00.000Z" });
    expect(await reading).toMatchObject({ event: "cancelled" });
  });

  it("unsubscribes when the client goes away", async () => {
    server = await startTestServer({ stream: { pollMs: 60_000, heartbeatMs: 60_000 } });
    server.runner.deploys.set("d-1", deployView());
    const subscriptions: string[] = [];
    const subscribe = server.events.subscribe.bind(server.events);
    let unsubscribed!: () => void;
    const gone = new Promise<void>((resolve) => (unsubscribed = resolve));
    server.events.subscribe = (id, listener) => {
      subscriptions.push(id);
      const stop = subscribe(id, listener);
      return () => {
        stop();
        unsubscribed();
      };
    };
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/v1/deploys/d-1/events`, { headers: auth(), signal: controller.signal });
    await sseReader(response).next();
    controller.abort();
    await gone;
    expect(subscriptions).toEqual(["d-1"]);
  });

  it("ends open streams when the server drains", async () => {
    server = await startTestServer({ stream: { pollMs: 60_000, heartbeatMs: 60_000 } });
    server.runner.deploys.set("d-1", deployView());
    const { events } = await openStream();
    await events.next();
    const draining = server.drain();
    expect(await events.next()).toEqual({ event: "end", data: { reason: "shutting_down", state: "running" } });
    expect(await events.next()).toBeUndefined();
    await draining;
  });
});
