import { runCli } from "../../src/cli/main.js";
import { ExitCode } from "../../src/cli/exit-codes.js";
import { ADMIN_TOKEN, startTestApp, TEST_TOKEN, type TestApp } from "../kit/test-app.js";
import { testIo } from "./fake-whistlestop.js";

/** `whistlestop audit` in-process against the real server: flags become filters, pages are followed. */
describe("whistlestop audit against the real server", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    for (const service of ["donations", "events", "call-tool"]) expect((await t.command(`deploy ${service} staging`)).outcome).toBe("started");
    expect((await t.command("lock events prod for 1h load test", ADMIN_TOKEN)).outcome).toBe("done");
  });
  afterAll(async () => {
    await t.close();
  });

  const cli = async (args: string[], token = ADMIN_TOKEN) => {
    const io = testIo({ env: { WHISTLESTOP_SERVER: t.url, WHISTLESTOP_TOKEN: token } });
    const code = await runCli(args, io);
    return { code, out: io.stdout.text, err: io.stderr.text };
  };

  test("prints a table, newest first", async () => {
    const { code, out, err } = await cli(["audit"]);
    expect(err).toBe("");
    expect(code).toBe(ExitCode.ok);
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^AT \(UTC\)\s+ACTOR\s+VIA\s+ACTION\s+TARGET\s+OUTCOME\s+DEPLOY\s+MESSAGE$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/).slice(1, 6))).toEqual([
      ["api:sandbox-admin", "api", "lock", "events/prod", "done"],
      ["api:ci", "api", "deploy", "call-tool/staging", "started"],
      ["api:ci", "api", "deploy", "events/staging", "started"],
      ["api:ci", "api", "deploy", "donations/staging", "started"],
    ]);
  });

  test("flags are the API's filters; --limit follows next across pages and says when more remain", async () => {
    const filtered = await cli(["audit", "--actor", "api:ci", "--env", "staging", "--since", "1h", "--json"]);
    expect(filtered.code).toBe(ExitCode.ok);
    const entries = filtered.out.trimEnd().split("\n").map((line) => JSON.parse(line) as { service: string; actor: string });
    expect(entries.map((e) => e.service)).toEqual(["call-tool", "events", "donations"]);

    const limited = await cli(["audit", "--limit", "2", "--json", "--service", "events"]);
    expect(limited.out.trimEnd().split("\n")).toHaveLength(2);
    expect(limited.err).toBe("");
    const more = await cli(["audit", "--limit=3"]);
    expect(more.out.trimEnd().split("\n")).toHaveLength(4);
    expect(more.err).toMatch(/Showing the newest 3; there are more/);
  });

  test("more entries than one page (200) holds: the CLI follows next until it has them all", async () => {
    const at = new Date().toISOString();
    for (let i = 0; i < 230; i++) await t.store.appendAudit({ at, actor: "bulk-bot", surface: "api", action: "deploys", outcome: `o${i}` });
    const { code, out, err } = await cli(["audit", "--actor", "bulk-bot", "--limit", "1000", "--json"]);
    expect(code).toBe(ExitCode.ok);
    expect(err).toBe("");
    const outcomes = out.trimEnd().split("\n").map((line) => (JSON.parse(line) as { outcome: string }).outcome);
    expect(outcomes).toHaveLength(230);
    expect(outcomes[0]).toBe("o229");
    expect(outcomes.at(-1)).toBe("o0");
  });

  test("someone who is not an admin is refused (exit 2) with the server's reason", async () => {
    const { code, out, err } = await cli(["audit"], TEST_TOKEN);
    expect(code).toBe(ExitCode.refused);
    expect(out).toBe("");
    expect(err).toMatch(/^Only admins may read the audit log, and api:ci is not one/);
  });

  test("a bad filter or option is a usage error (exit 3) saying what is wrong", async () => {
    const unknownService = await cli(["audit", "--service", "donatoins"]);
    expect(unknownService).toMatchObject({ code: ExitCode.usageOrConnection, out: "" });
    expect(unknownService.err).toMatch(/did you mean "donations"/);
    const badOption = await cli(["audit", "--servce", "donations"]);
    expect(badOption.code).toBe(ExitCode.usageOrConnection);
    expect(badOption.err).toMatch(/Unknown option '--servce'[\s\S]*usage: whistlestop audit/);
    expect((await cli(["audit", "--limit", "0"])).err).toMatch(/--limit must be a whole number/);
  });
});
