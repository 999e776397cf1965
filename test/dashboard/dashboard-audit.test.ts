import { runCli } from "../../src/cli/main.js";
import { ExitCode } from "../../src/cli/exit-codes.js";
import { testIo } from "../cli/fake-whistlestop.js";
import { ADMIN_TOKEN, loadTestConfig, type TestApp } from "../kit/test-app.js";
import { CookieClient, hiddenField, startDashboardTestApp } from "./dashboard-kit.js";

/** What a dashboard form does is audited as coming from the dashboard, and every reader of the log says so. */
describe("dashboard actions in the audit log", () => {
  let t: TestApp;
  let app: Awaited<ReturnType<typeof startDashboardTestApp>>;

  beforeEach(async () => {
    const config = loadTestConfig();
    app = await startDashboardTestApp("octocat", { config: { ...config, admins: [...config.admins, "octocat"] } });
    t = app.t;
  });
  afterEach(() => app.close());

  test("a lock and an unlock from the dashboard are audited with surface dashboard, shown so on /audit and by `whistlestop audit`", async () => {
    const browser = new CookieClient(t.url);
    const page = await browser.signIn("/locks");
    const csrf = hiddenField(page.text, "csrf")!;
    const lock = await browser.post("/actions/lock", { service: "donations", env: "prod", reason: "debate prep", back: "/locks", csrf, nonce: "n0nce-lock-01" });
    expect(lock.status).toBe(303);
    expect((await t.store.listLocks(new Date())).map((l) => l.owner)).toEqual(["octocat"]);
    expect((await browser.post("/actions/unlock", { service: "donations", env: "prod", back: "/locks", csrf, nonce: "n0nce-unlock-1" })).status).toBe(303);

    const entries = (await t.store.queryAudit({ service: "donations", limit: 10 })).map((e) => ({ actor: e.actor, surface: e.surface, action: e.action, outcome: e.outcome }));
    expect(entries).toEqual([
      { actor: "octocat", surface: "dashboard", action: "unlock", outcome: "done" },
      { actor: "octocat", surface: "dashboard", action: "lock", outcome: "done" },
    ]);

    const audit = await browser.get("/audit?service=donations");
    expect(audit.status).toBe(200);
    expect(audit.text.match(/<td data-label="Who">octocat <span class="meta">dashboard<\/span><\/td>/g)).toHaveLength(2);

    const io = testIo({ env: { WHISTLESTOP_SERVER: t.url, WHISTLESTOP_TOKEN: ADMIN_TOKEN } });
    expect(await runCli(["audit", "--service", "donations"], io)).toBe(ExitCode.ok);
    const rows = io.stdout.text.trimEnd().split("\n");
    expect(rows[0]).toMatch(/^AT \(UTC\)\s+ACTOR\s+VIA\s+ACTION\s+/);
    expect(rows.slice(1).map((line) => line.split(/\s{2,}/).slice(1, 5))).toEqual([
      ["octocat", "dashboard", "unlock", "donations/prod"],
      ["octocat", "dashboard", "lock", "donations/prod"],
    ]);
  });
});
