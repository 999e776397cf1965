import { loadTestConfig, type TestApp } from "../kit/test-app.js";
import { parseConfig } from "../../src/config/load-config.js";
import { CookieClient, startDashboardTestApp } from "../dashboard/dashboard-kit.js";
import { describeInBrowser, openBrowser, seeText, type TestBrowser } from "./browser-kit.js";

/** A window every evening at 21:00 New York time, for three hours: across 2026-11-01 its UTC start moves by an hour. */
const CONFIG = `
timezone: America/New_York
environments: { staging: {}, prod: {} }
services:
  donations: { repo: whistlestop-demo/donations }
windows:
  - name: Evening freeze
    kind: deny
    cron: "0 21 * * *"
    duration: 3h
    environments: [prod]
`;

describeInBrowser("the windows calendar across the end of daylight saving time (2026-11-01, America/New_York)", () => {
  let t: TestApp;
  let app: Awaited<ReturnType<typeof startDashboardTestApp>>;
  let browser: TestBrowser;
  // A fake clock: the server believes it is Tuesday 27 October 2026, noon in New York.
  const clock = { now: () => new Date("2026-10-27T16:00:00Z") };

  beforeEach(async () => {
    const parsed = parseConfig(CONFIG, "whistlestop.yml");
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    app = await startDashboardTestApp("octocat", { config: { ...loadTestConfig(), ...parsed.config }, clock });
    t = app.t;
    // The viewer is in London, whose own clocks changed a week earlier.
    browser = await openBrowser({ timezoneId: "Europe/London", locale: "en-GB" });
  });
  afterEach(async () => {
    await browser.close();
    await app.close();
  });

  test("14 local days; 1 November has 25 hours; the window keeps 21:00 local while its UTC time moves; the viewer's time beside it", async () => {
    const { page } = browser;
    await page.goto(`${t.url}/windows`);
    await page.getByRole("link", { name: "Sign in with GitHub" }).click();
    await page.waitForURL((url) => url.pathname === "/windows");
    const days = page.locator("section.day");
    expect(await days.count()).toBe(14);
    expect(await days.first().getAttribute("data-date")).toBe("2026-10-27");
    expect(await days.last().getAttribute("data-date")).toBe("2026-11-09");
    const hours = await days.evaluateAll((els) => els.map((el) => `${el.getAttribute("data-date")}:${el.getAttribute("data-hours")}`));
    expect(hours.filter((h) => !h.endsWith(":24"))).toEqual(["2026-11-01:25"]);
    const sunday = page.locator('section.day[data-date="2026-11-01"]');
    await seeText(sunday.locator("h2"), "25 hours: clocks go back one hour");

    // Saturday's evening starts 21:00 EDT (01:00 UTC), Sunday's 21:00 EST (02:00 UTC).
    const saturday = page.locator('section.day[data-date="2026-10-31"] li[data-window="Evening freeze"]');
    const sundayWindow = sunday.locator('li[data-window="Evening freeze"]');
    expect(await saturday.locator("time").first().getAttribute("datetime")).toBe("2026-11-01T01:00:00.000Z");
    expect(await sundayWindow.locator("time").first().getAttribute("datetime")).toBe("2026-11-02T02:00:00.000Z");
    expect(await saturday.locator("time").allTextContents()).toEqual(["Sat Oct 31 21:00 EDT", "Sun Nov 1 00:00 EDT"]);
    expect(await sundayWindow.locator("time").allTextContents()).toEqual(["Sun Nov 1 21:00 EST", "Mon Nov 2 00:00 EST"]);
    // The client script adds the viewer's own time: London is on GMT by then.
    await seeText(saturday.locator(".local-time").first(), "01:00 GMT your time");
    await seeText(sundayWindow.locator(".local-time").first(), "02:00 GMT your time");
    await seeText(page.locator("[data-viewer-zone]"), "Europe/London", true);
    // Each occurrence sits at 21:00 of its own day's bar: 21/24 of a day, and 22/25 of the long one (a day starts at midnight EDT).
    const left = (day: string) => page.locator(`section.day[data-date="${day}"] .day-bar span`).first().getAttribute("style");
    expect(await left("2026-10-31")).toContain("left: 87.5%");
    expect(await left("2026-11-01")).toContain("left: 88%");
  });

  test("the same page without JavaScript is complete, in the configuration's zone", async () => {
    const client = new CookieClient(t.url);
    const page = await client.signIn("/windows");
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-date="2026-11-01" data-hours="25"');
    expect(page.text).toContain("Sun Nov 1 21:00 EST");
  });
});
