import { runCli } from "../../src/cli/main.js";
import { ExitCode } from "../../src/cli/exit-codes.js";
import type { ApiCommandResult } from "../../src/core/commands/api-command-result.js";
import { startTestApp, TEST_TOKEN, type TestApp } from "../kit/test-app.js";
import { testIo } from "./fake-whistlestop.js";

/** `whistlestop diff` and `whistlestop status <service>` against the real server. */
describe("whistlestop diff and status <service>", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const live = await t.command("deploy donations staging v1.0.0");
    await t.runDeploy(live.deploy!.id);
  });
  afterAll(() => t.close());

  const io = () => testIo({ env: { WHISTLESTOP_SERVER: t.url, WHISTLESTOP_TOKEN: TEST_TOKEN } });

  it("diff prints what would ship and follows nothing; --json gives the diff fields; nothing is stored", async () => {
    const before = (await t.store.listDeploys({ limit: 100 })).length;
    const text = io();
    expect(await runCli(["diff", "donations", "staging", "main"], text)).toBe(ExitCode.ok);
    expect(text.stdout.text).toMatch(/^donations\/staging: a deploy would put [0-9a-f]{7} \(main\) live; live there: [0-9a-f]{7}, deployed .+ by api:ci\.\n/);
    expect(text.stdout.text).toContain("Changes not listed. This Whistlestop cannot compare commits: GitHub is not configured");
    expect(text.stdout.text).toContain("A deploy now passes every policy and would start at once.");
    const json = io();
    expect(await runCli(["diff", "donations", "staging", "main", "--json"], json)).toBe(ExitCode.ok);
    const result = JSON.parse(json.stdout.text.trim()) as ApiCommandResult;
    expect(result).toMatchObject({ outcome: "done", diff: { service: "donations", env: "staging", ref: "main", deployable: true, changeSet: { status: "unavailable" } } });
    expect((await t.store.listDeploys({ limit: 100 })).length).toBe(before);
  });

  it("status <service> prints one line per environment; --json gives serviceStatus", async () => {
    const text = io();
    expect(await runCli(["status", "donations"], text)).toBe(ExitCode.ok);
    const lines = text.stdout.text.trim().split("\n");
    expect(lines[1]).toMatch(/^staging: live [0-9a-f]{7}, deployed .+ by api:ci$/);
    expect(lines[2]).toBe("prod: nothing live");
    const json = io();
    expect(await runCli(["status", "donations", "--json"], json)).toBe(ExitCode.ok);
    const result = JSON.parse(json.stdout.text.trim()) as ApiCommandResult;
    expect(result.serviceStatus!.environments.map((e) => [e.env, e.queued, e.live?.actor])).toEqual([
      ["staging", 0, "api:ci"],
      ["prod", 0, undefined],
    ]);
  });

  it("a typo is refused by the server with a suggestion (exit 2); a bad status line is a usage error (exit 3)", async () => {
    const typo = io();
    expect(await runCli(["status", "donatoins"], typo)).toBe(ExitCode.refused);
    expect(typo.stderr.text).toContain('unknown service "donatoins" — did you mean "donations"?');
    const usage = io();
    expect(await runCli(["status"], usage)).toBe(ExitCode.usageOrConnection);
    expect(usage.stderr.text).toContain("whistlestop status <service>");
  });
});
