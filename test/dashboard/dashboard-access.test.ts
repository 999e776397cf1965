import { loadTestConfig, type TestApp } from "../kit/test-app.js";
import { CookieClient, hiddenField, startDashboardTestApp } from "./dashboard-kit.js";

/**
 * Who gets in and what a refused request changes: signed out → 302 to sign-in, a signed-in
 * non-member → 403, a POST without the session's CSRF token → 403, and none of them change anything.
 */
describe("dashboard access over plain HTTP", () => {
  let t: TestApp;
  let app: Awaited<ReturnType<typeof startDashboardTestApp>>;

  beforeEach(async () => {
    app = await startDashboardTestApp("octocat", { config: { ...loadTestConfig(), dashboard: { viewers: ["jane-contractor"] } }, members: ["octocat", "jordan-payments"] });
    t = app.t;
  });
  afterEach(() => app.close());

  const state = async () => ({ locks: await t.store.listLocks(new Date()), audit: (await t.store.listAudit({ limit: 1000 })).length });

  test("signed out: every page redirects to sign-in (302) and a POST is refused (403) without changing anything", async () => {
    const before = await state();
    const browser = new CookieClient(t.url);
    for (const path of ["/", "/deploys?service=donations", "/locks", "/windows", "/audit", "/dora", "/deploys/d-123"]) {
      const page = await browser.get(path);
      expect({ path, status: page.status }).toEqual({ path, status: 302 });
      expect(page.location).toBe(`/auth/sign-in?next=${encodeURIComponent(path)}`);
    }
    const post = await browser.post("/actions/lock", { service: "donations", env: "prod", reason: "sneaky" });
    expect(post.status).toBe(403);
    expect(await state()).toEqual(before);
    // The API and the probes are not the dashboard's.
    expect((await browser.get("/healthz")).status).toBe(200);
    expect((await browser.get("/api/v1/deploys")).status).toBe(401);
  });

  test("signing in through GitHub's OAuth flow: a stored session in a signed, HttpOnly, SameSite=Lax cookie", async () => {
    const browser = new CookieClient(t.url);
    const start = await browser.get("/auth/sign-in?go=1&next=%2Flocks");
    expect(start.status).toBe(302);
    const authorize = new URL(start.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${app.github.url}/login/oauth/authorize`);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${t.url}/auth/github/callback`);
    const landed = await browser.signIn("/locks");
    expect(landed.status).toBe(200);
    expect(landed.text).toContain("Signed in as <strong>octocat</strong>");
    expect(app.github.exchanges).toHaveLength(1);
    const [session] = await t.store.listDashboardSessions(new Date());
    expect(session).toMatchObject({ login: "octocat" });
    const cookie = (await new CookieClient(t.url).get("/auth/sign-in?go=1")).response.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/HttpOnly; SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    expect(browser.cookies.get("whistlestop_session")).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    expect((await t.store.listAudit({ limit: 10 })).some((a) => a.action === "dashboard_session" && a.actor === "octocat")).toBe(true);
  });

  test("a callback that this browser did not start is refused, and a forged cookie signs nobody in", async () => {
    const browser = new CookieClient(t.url);
    await browser.get("/auth/sign-in?go=1");
    const forged = await browser.get("/auth/github/callback?code=abc&state=" + "x".repeat(43));
    expect(forged.status).toBe(400);
    expect(await t.store.listDashboardSessions(new Date())).toEqual([]);
    const intruder = new CookieClient(t.url);
    intruder.cookies.set("whistlestop_session", `${"a".repeat(43)}.${"b".repeat(43)}`);
    expect((await intruder.get("/")).status).toBe(302);
  });

  test("a signed-in viewer who is not in the organisation gets 403 on pages and actions, and nothing changes", async () => {
    app.github.login = "mallory";
    const browser = new CookieClient(t.url);
    const landed = await browser.signIn("/");
    expect(landed.status).toBe(403);
    expect(landed.text).toContain("mallory may not view this dashboard: not a member of whistlestop-demo");
    const before = await state();
    const post = await browser.post("/actions/lock", { service: "donations", env: "prod", csrf: "guess" });
    expect(post.status).toBe(403);
    expect((await state()).locks).toEqual(before.locks);
  });

  test("dashboard.viewers lets in someone outside the organisation", async () => {
    app.github.login = "jane-contractor";
    expect((await new CookieClient(t.url).signIn("/")).status).toBe(200);
  });

  test("a POST without the session's CSRF token (or with another session's) is refused with 403 and changes nothing", async () => {
    const alice = new CookieClient(t.url);
    await alice.signIn("/");
    app.github.login = "jordan-payments";
    const jordan = new CookieClient(t.url);
    const board = await jordan.signIn("/locks");
    const jordansToken = hiddenField(board.text, "csrf")!;
    expect(jordansToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const before = await state();
    const fields = { service: "donations", env: "prod", reason: "debate prep", back: "/locks" };
    expect((await alice.post("/actions/lock", fields)).status).toBe(403);
    expect((await alice.post("/actions/lock", { ...fields, csrf: jordansToken })).status).toBe(403);
    expect((await alice.post("/auth/sign-out", {})).status).toBe(403);
    expect(await state()).toEqual(before);
    // With its own token the same form works, and the page shows the same message Slack would.
    const done = await jordan.post("/actions/lock", { ...fields, csrf: jordansToken, nonce: "n0nce-0000001" });
    expect(done.status).toBe(303);
    expect(done.location).toBe("/locks");
    const shown = await jordan.get("/locks");
    expect(shown.text).toContain("🔒 Locked: donations/prod by jordan-payments until someone unlocks it (debate prep).");
    expect((await t.store.listLocks(new Date())).map((l) => l.owner)).toEqual(["jordan-payments"]);
  });

  test("signing out revokes the session in the store; a revoked session is signed out everywhere", async () => {
    const browser = new CookieClient(t.url);
    const page = await browser.signIn("/");
    const stolen = browser.cookies.get("whistlestop_session")!;
    const out = await browser.post("/auth/sign-out", { csrf: hiddenField(page.text, "csrf")! });
    expect(out.status).toBe(200);
    const replay = new CookieClient(t.url);
    replay.cookies.set("whistlestop_session", stolen);
    const refused = await replay.get("/");
    expect(refused.status).toBe(302);
    expect(refused.location).toContain("why=Your+session+was+revoked");

    const again = new CookieClient(t.url);
    await again.signIn("/");
    await t.store.revokeDashboardSessions({ login: "OCTOCAT" }, new Date());
    expect((await again.get("/")).status).toBe(302);
  });
});
