import { startHttpServer, type RunningHttpServer } from "../../src/app/http-server.js";
import { createLogger } from "../../src/app/logger.js";
import { Metrics } from "../../src/app/metrics.js";
import { runCli } from "../../src/cli/main.js";
import type { CommandResult, DeployView } from "../../src/core/commands/command-result.js";
import type { ApiRunner } from "../../src/adapters/http/api-routes.js";
import { toDeployView } from "../../src/core/commands/deploy-view.js";
import type { Deploy } from "../../src/core/model/deploy.js";
import { EventHub } from "../../src/core/orchestrator/event-hub.js";
import { testIo } from "./fake-whistlestop.js";
import { aDeploy } from "../kit/builders.js";

const TOKEN = "cli-token-0123456789";

const record = (overrides: Partial<Deploy> = {}): Deploy =>
  aDeploy({
    id: "d-7",
    sha: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
    actor: "cli",
    stages: [
      { name: "Bake", status: "running", startedAt: "2026-03-01T12:00:00.000Z" },
      { name: "Deploy", status: "waiting" },
    ],
    requestedAt: "2026-03-01T12:00:00.000Z",
    startedAt: "2026-03-01T12:00:00.000Z",
    ...overrides,
  });

/** A runner whose deploy moves on by itself once the event stream has read it. */
class ScriptedRunner implements ApiRunner {
  texts: string[] = [];
  current = record();
  constructor(private readonly events: EventHub) {}

  async runText(text: string): Promise<CommandResult> {
    this.texts.push(text);
    return { outcome: "started", message: "Deploying donations a1b2c3d to staging.", deploy: toDeployView(this.current), record: this.current };
  }

  async getDeploy(id: string): Promise<DeployView | undefined> {
    if (id !== this.current.id) return undefined;
    const view = toDeployView(this.current);
    if (this.current.state === "running") setImmediate(() => void this.finish());
    return view;
  }

  async listDeploys(): Promise<DeployView[]> {
    return [toDeployView(this.current)];
  }

  private async finish(): Promise<void> {
    this.current = record({ stages: [{ name: "Bake", status: "succeeded", startedAt: "2026-03-01T12:00:00.000Z", finishedAt: "2026-03-01T12:00:50.000Z" }, { name: "Deploy", status: "running", startedAt: "2026-03-01T12:00:50.000Z" }] });
    await this.events.notify({ type: "progress", deploy: this.current, at: "2026-03-01T12:00:50.000Z" });
    this.current = record({
      state: "succeeded",
      artifact: "ami-0feed",
      finishedAt: "2026-03-01T12:01:30.000Z",
      stages: [
        { name: "Bake", status: "succeeded", startedAt: "2026-03-01T12:00:00.000Z", finishedAt: "2026-03-01T12:00:50.000Z" },
        { name: "Deploy", status: "succeeded", startedAt: "2026-03-01T12:00:50.000Z", finishedAt: "2026-03-01T12:01:30.000Z" },
      ],
    });
    await this.events.notify({ type: "succeeded", deploy: this.current, at: "2026-03-01T12:01:30.000Z" });
  }
}

describe("whistlestop CLI against the real HTTP API adapter", () => {
  let server: RunningHttpServer;
  let runner: ScriptedRunner;

  beforeEach(async () => {
    const events = new EventHub();
    runner = new ScriptedRunner(events);
    server = await startHttpServer({
      port: 0,
      host: "127.0.0.1",
      runner,
      events,
      apiTokens: [{ name: "cli", token: TOKEN }],
      ready: async () => {},
      metrics: new Metrics({ defaultMetrics: false }),
      logger: createLogger({ level: "silent" }),
      stream: { heartbeatMs: 60_000, pollMs: 60_000 },
    });
  });
  afterEach(() => server.close());

  it("deploys and follows the server's own event stream to the end", async () => {
    const io = testIo({ env: { WHISTLESTOP_SERVER: server.url, WHISTLESTOP_TOKEN: TOKEN } });
    expect(await runCli(["deploy", "donations", "staging", "--reason", "ship it"], io)).toBe(0);
    expect(runner.texts).toEqual(['deploy donations staging --reason "ship it"']);
    expect(io.stdout.text).toContain("● Bake running\n");
    expect(io.stdout.text).toContain("✓ Bake done (50s)\n● Deploy running\n");
    expect(io.stdout.text).toContain("✔ succeeded in 1m30s — artifact ami-0feed\n");
    expect(io.stderr.text).toBe("");
  });
});
