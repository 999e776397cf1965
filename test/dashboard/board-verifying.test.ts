import type { TestApp } from "../kit/test-app.js";
import { aNewDeploy } from "../kit/builders.js";
import { CookieClient, startDashboardTestApp } from "./dashboard-kit.js";

/** A deploy watching its alarms after its pipeline succeeded still holds its target, and the board says so. */
describe("the board shows a verifying deploy", () => {
  let t: TestApp;
  let app: Awaited<ReturnType<typeof startDashboardTestApp>>;

  beforeEach(async () => {
    app = await startDashboardTestApp("octocat");
    t = app.t;
  });
  afterEach(() => app.close());

  /** A prod deploy of donations whose pipeline succeeded a minute ago, with 8 minutes of verification left. */
  async function aVerifyingDeploy(): Promise<string> {
    const now = Date.now();
    const deploy = aNewDeploy({ id: "d-verifying-1", service: "donations", env: "prod", sha: "abcdef1234567890abcdef1234567890abcdef12" });
    await t.store.insertDeploy(deploy);
    expect(await t.store.claimSlot(deploy.id, new Date(now))).toBe(true);
    const verification = { alarms: ["donations-5xx", "donations-latency"], startedAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 7 * 60_000 + 1_000).toISOString(), onAlarm: "rollback" as const, checks: 1, failures: 0 };
    expect(await t.store.updateDeploy(deploy.id, { state: "verifying", verification }, "running")).toBeDefined();
    return deploy.id;
  }

  /** The fields of the page's form that posts to `action`, as the browser would send them. */
  function formFields(page: string, action: string): Record<string, string> {
    const form = new RegExp(`<form method="post" action="${action}"[^>]*>(.*?)</form>`, "s").exec(page)?.[1] ?? "";
    return Object.fromEntries([...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
  }

  test("with the time left, the alarms watched and a Stop verifying button instead of Roll back", async () => {
    await aVerifyingDeploy();
    const client = new CookieClient(t.url);
    const board = await client.signIn("/");
    expect(board.status).toBe(200);
    const cell = board.text.slice(board.text.indexOf('data-deploy="d-verifying-1"'));
    expect(cell).toMatch(/verifying, 8 min left \(donations-5xx, donations-latency\)/);
    expect(cell.slice(0, cell.indexOf("</p>"))).toContain("Stop verifying");
  });

  test("the deploy's page shows the verification and its Stop verifying button ends it; a second click is told it already ended", async () => {
    const id = await aVerifyingDeploy();
    const client = new CookieClient(t.url);
    const page = await client.signIn(`/deploys/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<dt>Verification<\/dt><dd>Verifying, 8 min left: watching donations-5xx, donations-latency \(an alarm rolls it back\)<\/dd>/);
    const fields = formFields(page.text, "/actions/cancel");
    expect(fields).toMatchObject({ id, back: `/deploys/${id}` });
    expect(page.text).toContain(">Stop verifying</button>");

    const stopped = await client.post("/actions/cancel", fields);
    expect(stopped.status).toBe(303);
    const after = await client.get(stopped.location!);
    expect(after.text).toContain("Stopped verifying deploy d-verifying-1 of donations/prod at abcdef1: its pipeline had succeeded, so it counts as succeeded, unverified. If it is broken, <code>rollback donations prod</code>.");
    expect(await t.store.getDeploy(id)).toMatchObject({ state: "succeeded", verification: { stoppedBy: "octocat" } });
    expect(after.text).toContain("Verification stopped early by octocat: not verified");
    expect(after.text).not.toContain(">Stop verifying</button>");

    const again = await client.post("/actions/cancel", { ...fields, nonce: "another-nonce-1" });
    const refusal = await client.get(again.location!);
    expect(refusal.text).toContain('<section class="flash flash-refused" role="alert" id="flash">');
    expect(refusal.text).toContain("The deploy d-verifying-1 of donations/prod at abcdef1 has already succeeded; nothing to cancel.");
  });
});
