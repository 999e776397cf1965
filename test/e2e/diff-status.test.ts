import { CountingSandbox } from "../fakes/counting-sandbox.js";
import { ADMIN_TOKEN, loadTestConfig, TEST_TOKEN } from "../kit/test-app.js";
import { startSlackTestApp, USERS, type SlackTestApp } from "../slack/slack-test-app.js";

const REPO = "whistlestop-demo/donations";
const STARTED = new Date("2026-11-03T12:00:00Z");
/** 18:01 in New York on election night: the example config's "Election night" window freezes prod. */
const ELECTION_NIGHT = STARTED.getTime() + 11 * 3_600_000 + 60_000;
const READER_TOKEN = "reader-token-0123456789abcdef";

/**
 * `diff` and `status` through the real server: the HTTP API, and signed Slack slash commands
 * answered ephemerally. The sandbox's history stands in for GitHub; the app's clock runs on
 * election night (Slack's signatures keep the real time). The tests share one server, in order.
 */
describe("diff and status end to end", () => {
  let t: SlackTestApp;
  let source: CountingSandbox;
  const shift = ELECTION_NIGHT - Date.now();
  const now = () => new Date(Date.now() + shift);
  beforeAll(async () => {
    source = new CountingSandbox({ startedAt: STARTED, now });
    const config = loadTestConfig();
    t = await startSlackTestApp({
      config: { ...config, apiClients: { ...config.apiClients, reader: { may: [], services: ["donations"], environments: ["staging"] } } },
      apiTokens: `ci:${TEST_TOKEN},sandbox-admin:${ADMIN_TOKEN},reader:${READER_TOKEN}`,
      sourceControl: source,
      clock: { now },
      surface: { now: () => Date.now() },
    });
  });
  afterAll(() => t.close());

  const history = () => source.history(REPO);
  const ship = async (text: string) => {
    const result = await t.command(text);
    await t.runDeploy(result.deploy!.id);
    await t.app.changeSets.idle();
    await t.app.notifications.idle();
    return result.deploy!;
  };
  /** What a read must leave as it was. */
  const footprint = async () => ({
    deploys: (await t.store.listDeploys({ limit: 1000 })).length,
    executions: t.emulator.emulator.executions("donations-staging").length + t.emulator.emulator.executions("donations-production").length,
    // Window announcements go out on the reminder duty's own schedule, whatever a read does.
    cards: t.slack.of("chat.postMessage").filter((c) => !String(c.args.text).includes("Critical window")).length,
    diffAudits: (await t.store.queryAudit({ limit: 200 })).filter((e) => e.action === "diff" && e.outcome !== "refused").length,
  });

  test("diff over the API: what would ship and whether it would go; refusals by policy and by scope; nothing stored or started", async () => {
    const v110 = history().resolve("v1.1.0")!;
    const main = history().branchHead("main")!;
    await ship("deploy donations staging v1.1.0");
    const before = await footprint();

    const staging = await t.command("diff donations staging main");
    expect(staging).toMatchObject({
      status: 200,
      outcome: "done",
      diff: {
        service: "donations",
        env: "staging",
        sha: main,
        ref: "main",
        live: { sha: v110, actor: "api:ci" },
        changeSet: { status: "listed", direction: "ships", baseSha: v110, headSha: main, commitCount: 12, pullCount: 12, summary: `Ships 12 commits and 12 merged PRs since ${v110.slice(0, 7)}.` },
        deployable: true,
        confirm: false,
      },
    });
    expect(staging.diff!.changeSet.pulls).toHaveLength(10);
    expect(staging.diff!.changeSet.pulls[0]).toEqual({ number: 15, title: "Fix the receipt email's footer", author: "jordan-payments" });

    // Prod promotes what staging runs; the verdict is the caller's own: ci is no prod deployer, and
    // for an admin election night freezes it. Each is said with its code.
    expect(await t.command("diff donations prod")).toMatchObject({ outcome: "done", diff: { deployable: false, reasonCode: "permission_denied" } });
    const prod = await t.command("diff donations prod", ADMIN_TOKEN);
    expect(prod).toMatchObject({ outcome: "done", diff: { sha: v110, ref: "live in staging", deployable: false, reasonCode: "window_closed", confirm: true, changeSet: { status: "first_deploy" } } });
    expect(prod.message).toContain('A deploy now would be refused (window_closed): donations/prod is frozen by the window "Election night"');

    // An API client reads inside its scope only.
    expect(await t.command("diff donations prod", READER_TOKEN)).toMatchObject({ status: 200, outcome: "refused", reasonCode: "permission_denied" });
    expect(await t.command("diff donations staging main", READER_TOKEN)).toMatchObject({ outcome: "done", diff: { deployable: false, reasonCode: "permission_denied" } });

    expect(await footprint()).toEqual(before);
    expect(source.compares).toEqual([`${v110.slice(0, 7)}...${main.slice(0, 7)}`]);
  });

  test("diff as a signed Slack slash command: an ephemeral answer, no card, no deploy, no compare already made", async () => {
    const before = await footprint();
    const comparesBefore = source.compares.length;
    const ack = await t.slash(USERS.octocat, "/deploy", "diff donations staging main");
    expect(ack.status).toBe(200);
    const answer = await t.response(ack.responseUrl);
    expect(answer.args.response_type).toBe("ephemeral");
    const text = String(answer.args.text);
    expect(text).toContain("donations/staging: a deploy would put");
    expect(text).toContain("Ships 12 commits and 12 merged PRs since");
    expect(text).toContain("• #15 Fix the receipt email's footer — jordan-payments");
    expect(text).toContain("• …and 2 more merged PRs");
    expect(text).toContain("A deploy now passes every policy and would start at once.");
    expect(text).toContain("Nothing was deployed: diff only looks.");
    expect(await footprint()).toEqual(before);
    expect(source.compares).toHaveLength(comparesBefore);
  });

  test("status on the API and in Slack: the live release and its PR, the running stage, the queue, the lock, the open window", async () => {
    const main = history().branchHead("main")!;
    await ship("deploy donations staging main");
    const running = await t.command("deploy donations staging v1.0.0");
    await t.runDeploy(running.deploy!.id, (d) => d.stages.some((s) => s.name === "Bake" && s.status === "running"));
    const queued = await t.command("deploy donations staging feature/faster-checkout");
    expect(queued.outcome).toBe("queued");
    const lock = await t.slash(USERS.octocat, "/lock", "donations staging for 2h qa run");
    expect((await t.response(lock.responseUrl)).args.response_type).toBe("in_channel");
    const before = await footprint();

    const api = await t.command("status donations");
    expect(api.outcome).toBe("done");
    const [staging, prod] = api.serviceStatus!.environments;
    expect(staging).toMatchObject({
      env: "staging",
      live: { sha: main, actor: "api:ci", pr: { number: 15, title: "Fix the receipt email's footer", author: "jordan-payments" } },
      running: { deployId: running.deploy!.id, stage: "Bake" },
      queued: 1,
      waiting: 0,
      awaitingApproval: 0,
      lock: { reason: "qa run", expiresAt: expect.any(String) },
      windows: [],
    });
    expect(prod).toMatchObject({ env: "prod", queued: 0, windows: [{ name: "Election night", kind: "deny", open: true }], closedByWindow: { until: "2026-11-04T11:00:00.000Z" } });
    expect(prod!.live).toBeUndefined();

    const ack = await t.slash(USERS.jordan, "/deploy", "status donations");
    const answer = await t.response(ack.responseUrl);
    expect(answer.args.response_type).toBe("ephemeral");
    const lines = String(answer.args.text).split("\n");
    expect(lines[1]).toMatch(
      new RegExp(
        `^staging: live ${main.slice(0, 7)} \\(#15 Fix the receipt email's footer — jordan-payments\\), deployed .+ by api:ci · running ${running.deploy!.id} \\([0-9a-f]{7}\\) by api:ci, stage Bake · 1 queued · 🔒 locked by \\S+ until .+ \\(qa run\\)$`,
      ),
    );
    expect(lines[2]).toMatch(/^prod: nothing live · window "Election night" \(deny\) open until .+ EST$/);

    const scoped = await t.command("status donations", READER_TOKEN);
    expect(scoped.serviceStatus!.environments.map((e) => e.env)).toEqual(["staging"]);
    expect(await footprint()).toEqual(before);
  });
});
