import { errorOf, startTestServer, type TestServer } from "./http-test-kit.js";

describe("mounted surfaces", () => {
  let server: TestServer;
  afterEach(() => server.close());

  it("lets a mount answer under its prefix, and falls through when it declines", async () => {
    const seen: string[] = [];
    server = await startTestServer({
      mounts: [
        {
          match: "/slack",
          name: "/slack/events",
          handler: (req, res) => {
            seen.push(req.url ?? "");
            if (req.url !== "/slack/events") return false;
            res.writeHead(200, { "Content-Type": "text/plain" }).end("ack");
            return true;
          },
        },
      ],
    });
    const handled = await fetch(`${server.url}/slack/events`, { method: "POST", body: "x" });
    expect(handled.status).toBe(200);
    expect(await handled.text()).toBe("ack");
    const declined = await fetch(`${server.url}/slack/other`);
    expect(declined.status).toBe(404);
    expect(await fetch(`${server.url}/slackish`).then((r) => r.status)).toBe(404);
    expect(seen).toEqual(["/slack/events", "/slack/other"]);
    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain('http_requests_total{route="/slack/events",method="POST",status="200"} 1');
  });

  it("mounts after start-up with a predicate, and turns a mount's crash into a JSON 500", async () => {
    server = await startTestServer();
    server.mount(
      (req) => req.url === "/api/pipeline-events",
      async () => {
        throw new Error("boom");
      },
      "/api/pipeline-events",
    );
    const response = await fetch(`${server.url}/api/pipeline-events`, { method: "POST" });
    expect(response.status).toBe(500);
    expect((await errorOf(response))).toMatch(/internal error/);
    await server.close();
    expect(server.logs.text).toContain("boom");
  });

  it("does not turn a path starting with // into a host", async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}//evil.example/healthz`);
    expect(response.status).toBe(404);
    expect((await errorOf(response))).toContain("//evil.example/healthz");
  });
});
