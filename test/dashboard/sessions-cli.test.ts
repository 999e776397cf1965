import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/adapters/store/open-store.js";
import { runCli } from "../../src/cli/main.js";
import { testIo } from "../cli/fake-whistlestop.js";

/** `whistlestop sessions` reads and revokes the dashboard's sign-ins in the store every replica shares. */
describe("whistlestop sessions", () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "whistlestop-sessions-"));
    env = { WHISTLESTOP_DB: join(dir, "store.db") };
    const store = await openStore({ sqlitePath: env.WHISTLESTOP_DB! });
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const now = new Date().toISOString();
    await store.createDashboardSession({ id: "ds-0a0a0a", tokenHash: "h1", login: "alice", createdAt: now, expiresAt: later });
    await store.createDashboardSession({ id: "ds-0b0b0b", tokenHash: "h2", login: "Alice", createdAt: now, expiresAt: later });
    await store.createDashboardSession({ id: "ds-0c0c0c", tokenHash: "h3", login: "bob", createdAt: now, expiresAt: later });
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("lists, revokes one person's sessions (audited), then one by id, then all; an unknown one is an error that changes nothing", async () => {
    const list = testIo({ env, cwd: dir });
    expect(await runCli(["sessions"], list)).toBe(0);
    expect(list.stdout.text.split("\n").filter(Boolean)).toHaveLength(3);

    const alice = testIo({ env, cwd: dir });
    expect(await runCli(["sessions", "revoke", "@ALICE"], alice)).toBe(0);
    expect(alice.stdout.text).toMatch(/^Revoked 2 dashboard sessions:/);

    const nobody = testIo({ env, cwd: dir });
    expect(await runCli(["sessions", "revoke", "carol"], nobody)).toBe(1);
    expect(nobody.stderr.text).toContain('No active dashboard session matches "carol"');

    const one = testIo({ env, cwd: dir });
    expect(await runCli(["sessions", "revoke", "ds-0c0c0c"], one)).toBe(0);
    const store = await openStore({ sqlitePath: env.WHISTLESTOP_DB! });
    expect(await store.listDashboardSessions(new Date())).toEqual([]);
    expect((await store.findDashboardSession("h3"))?.revokedAt).toBeDefined();
    expect((await store.listAudit({ limit: 10 })).filter((a) => a.action === "dashboard_session").map((a) => a.outcome)).toEqual(["revoked", "revoked"]);
    await store.close();

    const usage = testIo({ env, cwd: dir });
    expect(await runCli(["sessions", "delete"], usage)).not.toBe(0);
    expect(usage.stderr.text).toContain("usage: whistlestop sessions");
  });
});
