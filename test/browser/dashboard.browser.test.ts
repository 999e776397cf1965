import type { Page } from "playwright-core";
import { isFinal } from "../../src/core/model/deploy.js";
import { waitFor } from "../kit/wait-for.js";
import { fakeGitHubSignIn, identityWithMembers } from "../dashboard/dashboard-kit.js";
import type { FakeGitHubOAuth } from "../slack/fake-github-oauth.js";
import { startSlackTestApp, USERS, type SlackTestApp } from "../slack/slack-test-app.js";
import { describeInBrowser, openBrowser, screenshotPath, seeCount, seeText, type TestBrowser } from "./browser-kit.js";

const CHANNEL = "C0PAYMENTS";

describeInBrowser("the dashboard in headless Chromium", () => {
  let t: SlackTestApp;
  let github: FakeGitHubOAuth;
  let browser: TestBrowser;
  let page: Page;
  const publicUrl = { value: "http://127.0.0.1" };

  beforeEach(async () => {
    const fake = await fakeGitHubSignIn("jordan-payments");
    github = fake.github;
    t = await startSlackTestApp({ identity: identityWithMembers(["jordan-payments", "octocat", "alex-sre"]), surfaces: [fake.surface(() => publicUrl.value)] });
    publicUrl.value = t.url;
    browser = await openBrowser();
    page = browser.page;
  });
  afterEach(async () => {
    await browser.close();
    await t.close();
    await github.close();
  });

  /** Signed out → the sign-in page → GitHub (the fake) → back on the page asked for. */
  async function signIn(path = "/"): Promise<void> {
    await page.goto(`${t.url}${path}`);
    expect(new URL(page.url()).pathname).toBe("/auth/sign-in");
    await page.getByRole("link", { name: "Sign in with GitHub" }).click();
    await page.waitForURL((url) => url.pathname === path);
  }

  const liveConnected = () => page.waitForSelector("body[data-live-connected=true]");

  test("signing in through GitHub's OAuth flow lands on the board", async () => {
    await signIn("/");
    await seeText(page.locator("header .who"), "Signed in as jordan-payments");
    await seeText(page.getByRole("heading", { level: 1 }), "Board", true);
    expect(await page.locator("table.board tbody th").allTextContents()).toContain("donations");
    expect(github.exchanges).toHaveLength(1);
  });

  test("a deploy started in Slack appears on the board and moves stage by stage without a reload", async () => {
    await signIn("/");
    await liveConnected();
    await page.evaluate("window.notReloaded = true");
    const ack = await t.slash(USERS.jordan, "/deploy", "donations staging", { channel: CHANNEL });
    expect(ack.status).toBe(200);
    const cell = page.locator('td[data-cell="donations/staging"]');
    await cell.locator(".running").waitFor();
    const [deploy] = await t.store.listDeploys({ service: "donations", env: "staging" });
    const seen: string[] = [];
    for (let step = 0; step < 100; step++) {
      const stored = (await t.store.getDeploy(deploy!.id))!;
      if (isFinal(stored.state)) break;
      const stage = stored.stages.find((s) => s.status === "running")?.name ?? "";
      // The page shows what the store holds, pushed by the stream: no reload, no polling by the test.
      await waitFor(`the board to show stage "${stage}"`, async () => ((await cell.locator(".running").getAttribute("data-stage", { timeout: 1000 }).catch(() => null)) === stage ? true : undefined));
      if (stage && seen.at(-1) !== stage) seen.push(stage);
      if (stage === "Deploy") await page.screenshot({ path: screenshotPath("dashboard-board.png"), fullPage: true });
      t.emulator.emulator.tick();
      await waitFor("the tracker to see the step", async () => {
        const now = (await t.store.getDeploy(deploy!.id))!;
        return JSON.stringify(now.stages) !== JSON.stringify(stored.stages) || now.state !== stored.state ? true : undefined;
      });
    }
    expect(seen).toEqual(["Source", "Bake", "Deploy", "Verify"]);
    await cell.locator(".running").waitFor({ state: "detached" });
    await seeText(cell.locator(".live-release .sha"), deploy!.sha.slice(0, 7), true);
    expect(await page.evaluate("window.notReloaded === true")).toBe(true);

    await page.goto(`${t.url}/deploys/${deploy!.id}`);
    await seeCount(page.locator("ol.timeline li"), 4);
    await seeCount(page.locator('ol.timeline li[data-status="succeeded"]'), 4);
    expect(await page.getByRole("link", { name: "Pipeline execution" }).getAttribute("href")).toMatch(/console\.aws\.amazon\.com\/codesuite\/codepipeline/);
    expect(await page.getByRole("link", { name: "Slack thread" }).getAttribute("href")).toMatch(/^https:\/\/slack\.com\/archives\/C0PAYMENTS\/p\d+$/);
    await page.screenshot({ path: screenshotPath("dashboard-deploy.png"), fullPage: true });
  });

  test("a lock taken on the dashboard refuses a Slack deploy", async () => {
    await signIn("/locks");
    await page.getByLabel("Service").selectOption("donations");
    await page.getByLabel("Environment").selectOption("staging");
    await page.getByLabel("For").fill("2h");
    await page.getByLabel("Reason").fill("debate <prep> & rehearsal");
    await page.getByRole("button", { name: "Lock", exact: true }).click();
    await seeText(page.locator(".flash-ok"), "🔒 Locked: donations/staging by jordan-payments until");
    await seeText(page.locator("#live table"), "debate <prep> & rehearsal");
    const refused = await t.slash(USERS.octocat, "/deploy", "donations staging", { channel: CHANNEL });
    const reply = await t.response(refused.responseUrl);
    expect(String(reply.args.text)).toMatch(/^🚫 donations\/staging is locked by jordan-payments since .+ \(debate &lt;prep&gt; &amp; rehearsal\)/);
    expect(await t.store.listDeploys({ service: "donations", env: "staging" })).toEqual([]);
    await page.goto(`${t.url}/`);
    await seeText(page.locator('td[data-cell="donations/staging"] .lock'), "jordan-payments — debate <prep> & rehearsal");
  });

  test("a forbidden action shows the refusal the other surfaces would give, and changes nothing", async () => {
    const lock = await t.slash(USERS.octocat, "/lock", "donations prod for 1h release freeze", { channel: CHANNEL });
    await t.response(lock.responseUrl);
    await signIn("/locks");
    const row = page.locator("#live tr", { hasText: "octocat" });
    await row.getByRole("button", { name: "Force unlock" }).click();
    const refusal = page.locator(".flash-refused");
    await page.locator("#flash").waitFor();
    await seeText(refusal, "donations/prod is locked by octocat since");
    await seeText(refusal, "Only octocat or an admin (@whistlestop-demo/sre, api:sandbox, api:sandbox-admin) can unlock it");
    await seeText(refusal.locator(".flash-code"), "reason: locked", true);
    expect(await refusal.getAttribute("role")).toBe("alert");
    expect((await t.store.listLocks(new Date())).map((l) => l.owner)).toEqual(["octocat"]);
    await seeCount(page.locator("#live tr", { hasText: "octocat" }), 1);
  });
});
