import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiCommandResult } from "../../src/core/commands/api-command-result.js";
import type { DeployView } from "../../src/core/commands/command-result.js";
import { runCli } from "../../src/cli/main.js";
import { startFakeWhistlestop, testIo, TOKEN, view, type FakeOptions, type FakeWhistlestop, type StreamStep } from "./fake-whistlestop.js";

const SUCCEEDED = view({
  state: "succeeded",
  finishedAt: "2026-03-01T12:01:12.000Z",
  artifact: "ami-0abc123",
  stages: [
    { name: "Source", state: "succeeded", startedAt: "2026-03-01T12:00:00.000Z", finishedAt: "2026-03-01T12:00:03.000Z" },
    { name: "Bake", state: "succeeded", startedAt: "2026-03-01T12:00:03.000Z", finishedAt: "2026-03-01T12:01:00.000Z" },
    { name: "Deploy", state: "succeeded", startedAt: "2026-03-01T12:01:00.000Z", finishedAt: "2026-03-01T12:01:12.000Z" },
  ],
});
const FAILED = view({
  state: "failed",
  error: "Deploy: health check failed on i-0123",
  executionUrl: "https://console.aws.amazon.com/codesuite/codepipeline/pipelines/donations-staging/executions/e-1/timeline",
  finishedAt: "2026-03-01T12:00:40.000Z",
});

const started = (deploy: DeployView = view()): ApiCommandResult => ({ outcome: "started", message: "Deploying donations a1b2c3d to staging.", deploy });
const event = (type: string, deploy: DeployView, note?: string): StreamStep => ({ event: type, data: { type, at: "2026-03-01T12:00:00.000Z", deploy, ...(note ? { note } : {}) } });
const toTheEnd: StreamStep[] = [event("snapshot", view()), { comment: "heartbeat" }, event("progress", view({ stages: SUCCEEDED.stages.slice(0, 2) })), event("succeeded", SUCCEEDED), { event: "end", data: { reason: "final", state: "succeeded" } }];

describe("whistlestop CLI against a fake server", () => {
  let server: FakeWhistlestop | undefined;
  let dir: string;
  const serve = async (options: FakeOptions) => (server = await startFakeWhistlestop(options));
  const env = () => ({ WHISTLESTOP_SERVER: server!.url, WHISTLESTOP_TOKEN: TOKEN });
  const commandTexts = () => server!.requests.filter((r) => r.path === "/api/v1/commands").map((r) => (r.body as { text: string }).text);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "whistlestop-cli-"));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("deploys and streams progress to the final line (exit 0), finding the sandbox in data/sandbox.json", async () => {
    await serve({ onCommand: () => started(), stream: () => toTheEnd });
    mkdirSync(join(dir, "data"));
    writeFileSync(join(dir, "data", "sandbox.json"), JSON.stringify({ url: server!.url, token: TOKEN }));
    const io = testIo({ cwd: dir });

    const code = await runCli(["deploy", "donations", "staging"], io);

    expect(code).toBe(0);
    expect(commandTexts()).toEqual(["deploy donations staging"]);
    expect(server!.requests[0]).toMatchObject({ authorization: `Bearer ${TOKEN}`, idempotencyKey: expect.any(String) });
    expect(io.stdout.text.split("\n")).toEqual([
      "Deploying donations a1b2c3d to staging.",
      "donations → staging  a1b2c3d  by sandbox  (deploy d-42)",
      "▶ started",
      "✓ Source done (3s)",
      "● Bake running",
      "✓ Bake done (57s)",
      "✓ Deploy done (12s)",
      "✔ succeeded in 1m12s — artifact ami-0abc123",
      "",
    ]);
    expect(io.stdout.text).not.toContain("\u001b");
    expect(io.stderr.text).toBe("");
  });

  it("prints a refusal's reason code and message on stderr and exits 2", async () => {
    const message = "donations/prod is locked by alice since 14:02 (debate prep) until 18:00. Ask alice, or wait.";
    await serve({ onCommand: () => ({ outcome: "refused", reasonCode: "locked", message }) });
    const io = testIo({ env: env() });

    expect(await runCli(["deploy", "donations", "prod"], io)).toBe(2);
    expect(io.stderr.text).toBe(`Refused (locked): ${message}\n`);
    expect(io.stdout.text).toBe("");
  });

  it("asks for confirmation on a terminal and re-sends the command with --yes when answered y", async () => {
    await serve({
      onCommand: (text) =>
        text.endsWith("--yes")
          ? started(view({ env: "prod" }))
          : { outcome: "refused", reasonCode: "confirmation_required", message: "donations/prod asks for confirmation before a deploy of a1b2c3d. Run it again with --yes to go ahead." },
      stream: () => [event("succeeded", { ...SUCCEEDED, env: "prod" })],
    });
    const io = testIo({ env: env(), tty: true });
    io.stdin.write("y\n");

    const code = await runCli(["deploy", "donations", "prod", "--reason", "hot fix"], io);

    expect(code).toBe(0);
    expect(commandTexts()).toEqual(['deploy donations prod --reason "hot fix"', 'deploy donations prod --reason "hot fix" --yes']);
    expect(io.stdout.text).toContain("donations/prod asks for confirmation before a deploy of a1b2c3d. Deploy? [y/N] ");
    expect(io.stdout.text).toContain("\u001b[1mdonations → prod  a1b2c3d  by sandbox  (deploy d-42)");
    expect(io.stdout.text).toContain("\u001b[32m✔ succeeded in 1m12s — artifact ami-0abc123");
    expect(io.stdout.text).toContain("\u001b[J"); // redrawn in place (cursor up, clear to end)
  });

  it("respects NO_COLOR on a terminal: redrawn in place, but no colours", async () => {
    await serve({ onCommand: () => started(), stream: () => toTheEnd });
    const io = testIo({ env: { ...env(), NO_COLOR: "1" }, tty: true });
    expect(await runCli(["deploy", "donations", "staging"], io)).toBe(0);
    expect(io.stdout.text).toContain("\u001b[J");
    expect(io.stdout.text).not.toMatch(/\[\d+m/);
    expect(io.stdout.text).toContain("✔ succeeded in 1m12s — artifact ami-0abc123\n");
  });

  it("does nothing more when the confirmation is declined (exit 2)", async () => {
    await serve({ onCommand: () => ({ outcome: "refused", reasonCode: "confirmation_required", message: "Confirm first. Run it again with --yes to go ahead." }) });
    const io = testIo({ env: env(), tty: true });
    io.stdin.write("\n");

    expect(await runCli(["rollback", "donations", "prod"], io)).toBe(2);
    expect(commandTexts()).toEqual(["rollback donations prod"]);
    expect(io.stdout.text).toContain("Confirm first. Roll back? [y/N] ");
    expect(io.stderr.text).toBe("Nothing was rolled back.\n");
  });

  it("does not ask outside a terminal: the refusal says to add --yes (exit 2)", async () => {
    await serve({ onCommand: () => ({ outcome: "refused", reasonCode: "confirmation_required", message: "Run it again with --yes to go ahead." }) });
    const io = testIo({ env: env() });
    expect(await runCli(["deploy", "donations", "prod"], io)).toBe(2);
    expect(commandTexts()).toHaveLength(1);
    expect(io.stderr.text).toContain("Refused (confirmation_required): Run it again with --yes");
  });

  it("names the URL and says to run npm start when the server is unreachable (exit 3)", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const io = testIo({ env: { WHISTLESTOP_SERVER: url, WHISTLESTOP_TOKEN: TOKEN } });

    expect(await runCli(["deploys"], io)).toBe(3);
    expect(io.stderr.text).toContain(`Cannot reach the Whistlestop server at ${url} (connection refused)`);
    expect(io.stderr.text).toContain('"npm start"');
  });

  it("says where a token comes from when there is none (exit 3)", async () => {
    const io = testIo({ cwd: dir });
    expect(await runCli(["deploys"], io)).toBe(3);
    expect(io.stderr.text).toMatch(/No API token.*"npm start".*WHISTLESTOP_TOKEN/s);
  });

  it("explains a rejected token (exit 3)", async () => {
    await serve({});
    const io = testIo({ env: { WHISTLESTOP_SERVER: server!.url, WHISTLESTOP_TOKEN: "wrong" } });
    expect(await runCli(["windows"], io)).toBe(3);
    expect(io.stderr.text).toContain("refused the token: The bearer token is not valid. Check --token or WHISTLESTOP_TOKEN");
  });

  it("prints a done command's message and exits 0", async () => {
    await serve({ onCommand: (text) => ({ outcome: "done", message: `ok: ${text}` }) });
    const io = testIo({ env: env() });
    expect(await runCli(["lock", "donations", "prod", "--reason", "debate prep"], io)).toBe(0);
    expect(io.stdout.text).toBe('ok: lock donations prod --reason "debate prep"\n');
  });

  it("reconnects when the stream drops before the end, and catches up from the new snapshot", async () => {
    await serve({ onCommand: () => started(), stream: (_id, connection) => (connection === 0 ? [event("snapshot", view()), "drop"] : [event("snapshot", SUCCEEDED)]) });
    const io = testIo({ env: env() });

    expect(await runCli(["deploy", "donations", "staging"], io)).toBe(0);
    expect(server!.requests.filter((r) => r.path.endsWith("/events"))).toHaveLength(2);
    expect(io.stdout.text).toContain("Lost the event stream");
    expect(io.stdout.text).toContain("✔ succeeded in 1m12s — artifact ami-0abc123\n");
  });

  it("falls back to polling when the stream cannot be opened, and exits 1 when the deploy fails", async () => {
    await serve({ onCommand: () => started(), stream: () => undefined, deploy: (_id, call) => (call < 2 ? view() : FAILED) });
    const io = testIo({ env: env() });

    expect(await runCli(["deploy", "donations", "staging"], io)).toBe(1);
    expect(server!.requests.filter((r) => r.path.endsWith("/events"))).toHaveLength(5);
    expect(io.stdout.text).toContain("checking the deploy every");
    expect(io.stdout.text).toContain("✘ failed: Deploy: health check failed on i-0123\n  pipeline: https://console.aws.amazon.com/");
  });

  it("prints JSON lines with --json, and does not follow with --no-follow", async () => {
    await serve({ onCommand: () => started(), stream: () => toTheEnd });
    const io = testIo({ env: env() });
    expect(await runCli(["deploy", "donations", "staging", "--json"], io)).toBe(0);
    const lines = io.stdout.text.trim().split("\n").map((line) => JSON.parse(line) as { outcome?: string; type?: string });
    expect(lines.map((l) => l.outcome ?? l.type)).toEqual(["started", "snapshot", "progress", "succeeded"]);

    const quiet = testIo({ env: env() });
    expect(await runCli(["deploy", "donations", "staging", "--no-follow"], quiet)).toBe(0);
    expect(server!.requests.filter((r) => r.path.endsWith("/events"))).toHaveLength(1);
    expect(quiet.stdout.text).toBe("Deploying donations a1b2c3d to staging.\n");
  });

  it("stops following on Ctrl-C, says the deploy goes on, and exits 130", async () => {
    const interrupt = new AbortController();
    await serve({ onCommand: () => started(), stream: () => [event("snapshot", view()), "hold"], afterStep: () => interrupt.abort() });
    const io = testIo({ env: env(), signal: interrupt.signal });

    expect(await runCli(["deploy", "donations", "staging"], io)).toBe(130);
    expect(io.stderr.text).toContain('Stopped following deploy d-42; it goes on without this terminal. Follow it again with "whistlestop status d-42 --follow".');
  });

  it("shows one deploy with status, and its failure as exit 1", async () => {
    await serve({ deploy: (id) => (id === "d-42" ? FAILED : undefined) });
    const io = testIo({ env: env() });
    expect(await runCli(["status", "d-42"], io)).toBe(1);
    expect(io.stdout.text).toContain("donations → staging  a1b2c3d  by sandbox  (deploy d-42)\n");
    expect(io.stdout.text).toContain("✘ failed: Deploy: health check failed on i-0123");

    const missing = testIo({ env: env() });
    expect(await runCli(["status", "d-404"], missing)).toBe(3);
    expect(missing.stderr.text).toContain('answered 404: No deploy with id "d-404".');
  });

  it("follows a running deploy with status --follow", async () => {
    await serve({ deploy: () => view(), stream: () => [event("snapshot", view()), event("succeeded", SUCCEEDED)] });
    const io = testIo({ env: env() });
    expect(await runCli(["status", "d-42", "--follow"], io)).toBe(0);
    expect(io.stdout.text).toContain("✔ succeeded in 1m12s");
  });

  it("prints usage for --help (exit 0) and for a bad command (exit 3)", async () => {
    const help = testIo();
    expect(await runCli(["--help"], help)).toBe(0);
    expect(help.stdout.text).toContain("whistlestop deploy <service> [to] <env>");
    const bad = testIo();
    expect(await runCli(["deplyo"], bad)).toBe(3);
    expect(bad.stderr.text).toContain('did you mean "deploy"?');
  });
});
