import { connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { deferred, deployRecord, deployView, postCommand, sseReader, startTestServer, TOKEN, type TestServer } from "./http-test-kit.js";

describe("drain", () => {
  let server: TestServer;
  afterEach(() => server.close());

  it("refuses new commands with 503 while an in-flight command finishes, then closes", async () => {
    server = await startTestServer({ drainTimeoutMs: 5_000 });
    const { release, inFlight } = await holdACommand(server);

    // A second command whose headers arrived before the drain and whose body arrives after it.
    const body = JSON.stringify({ text: "deploy donations prod" });
    const requestSeen = new Promise((resolve) => server.server.once("request", resolve));
    const socket = await openSocket(server);
    socket.write(
      `POST /api/v1/commands HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TOKEN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    await requestSeen;

    let drained = false;
    const draining = server.drain().then(() => (drained = true));
    socket.write(body);
    const late = await readAll(socket);
    expect(late).toMatch(/^HTTP\/1\.1 503/);
    expect(late).toMatch(/connection: close/i);
    expect(late).toContain("shutting down");
    expect(drained).toBe(false);

    release.resolve();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: "started", message: "Deploying.", deploy: deployView() });
    await draining;
    expect(server.runner.calls).toHaveLength(1);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it("gives up on requests that outlive the drain timeout", async () => {
    server = await startTestServer({ drainTimeoutMs: 30 });
    const started = deferred<void>();
    server.runner.runTextImpl = () => {
      started.resolve();
      return new Promise(() => {});
    };
    const stuck = postCommand(server, { text: "deploy donations staging" });
    await started.promise;
    await server.drain();
    await expect(stuck).rejects.toThrow();
    expect(server.logs.text).toContain("drain timed out");
  });
});

function openSocket(server: TestServer): Promise<Socket> {
  const { port } = server.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.on("error", reject);
  });
}

function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

describe("answering(): the requests that hold background polls back", () => {
  let server: TestServer;
  afterEach(() => server.close());

  it("counts a request until it is answered, and never an open event stream", async () => {
    server = await startTestServer({ stream: { pollMs: 60_000, heartbeatMs: 60_000 } });
    server.runner.deploys.set("d-1", deployView());
    const stream = await fetch(`${server.url}/api/v1/deploys/d-1/events`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    await sseReader(stream).next();
    expect(server.answering()).toBe(0);

    const { release, inFlight } = await holdACommand(server);
    expect(server.answering()).toBe(1);
    release.resolve();
    expect((await inFlight).status).toBe(200);
    expect(server.answering()).toBe(0);
  });
});

/** A command the server is answering until `release` resolves. */
async function holdACommand(server: TestServer): Promise<{ release: ReturnType<typeof deferred<void>>; inFlight: Promise<Response> }> {
  const release = deferred<void>();
  const started = deferred<void>();
  server.runner.runTextImpl = async () => {
    started.resolve();
    await release.promise;
    return { outcome: "started", message: "Deploying.", deploy: deployView(), record: deployRecord() };
  };
  const inFlight = postCommand(server, { text: "deploy donations staging" });
  await started.promise;
  return { release, inFlight };
}
