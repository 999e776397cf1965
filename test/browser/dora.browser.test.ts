import type { Page } from "playwright-core";
import { startDashboardTestApp } from "../dashboard/dashboard-kit.js";
import { seedHistory, WEEK_OF_DONATIONS, type PastDeploy } from "../kit/dora-history.js";
import type { TestApp } from "../kit/test-app.js";
import { describeInBrowser, openBrowser, screenshotPath, seeCount, seeText, type TestBrowser } from "./browser-kit.js";

const HOUR = 3_600_000;

/** The metrics of a history, worked out here from its list alone (not with the code under test). */
function expectedOf(history: readonly PastDeploy[]) {
  const succeeded = history.filter((d) => d.state === "succeeded");
  const rolledBackSoon = new Set(history.filter((d) => d.rollbackOf).filter((r) => (r.requestedHoursAgo ?? 0) >= history.find((d) => d.key === r.rollbackOf)!.finishedHoursAgo - 24).map((r) => r.rollbackOf));
  const failures = history.filter((d) => (d.state === "failed" && d.reachedDeploy !== false) || rolledBackSoon.has(d.key));
  const leads = history.flatMap((d) => (d.ships ?? []).map((s) => (s.mergedHoursAgo - d.finishedHoursAgo) * HOUR)).sort((a, b) => a - b);
  // Walk the history oldest first: a failure opens an incident, a good success closes it.
  const restores: number[] = [];
  let open: number | undefined;
  for (const d of [...history].sort((a, b) => b.finishedHoursAgo - a.finishedHoursAgo)) {
    const failed = failures.includes(d);
    if (failed && open === undefined) open = d.finishedHoursAgo;
    else if (!failed && d.state === "succeeded" && open !== undefined) {
      restores.push((open - d.finishedHoursAgo) * HOUR);
      open = undefined;
    }
  }
  const mid = (xs: number[]) => (xs.length % 2 ? xs[(xs.length - 1) / 2]! : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2);
  const hm = (ms: number) => `${Math.floor(ms / HOUR)}h ${Math.round((ms % HOUR) / 60_000)}m`;
  return {
    frequency: `${(succeeded.length / 7).toFixed(2)}/day (${succeeded.length})`,
    leadMedian: `${hm(mid(leads))} (${leads.length} PRs)`,
    leadP90: hm(leads[Math.ceil(0.9 * leads.length) - 1]!),
    failureRate: `${((failures.length / history.length) * 100).toFixed(1)}% (${failures.length}/${history.length})`,
    restore: `${hm(mid(restores.sort((a, b) => a - b)))} (${restores.length} restored)`,
  };
}

/** A month of donations/staging for the charts: a deploy a day, a failed one every fifth day restored the next. */
const MONTH_OF_STAGING: PastDeploy[] = Array.from({ length: 29 }, (_, i) => 29 - i).flatMap((day): PastDeploy[] => [
  ...(day % 5 === 0 ? [{ key: `f${day}`, state: "failed" as const, finishedHoursAgo: day * 24 + 6 }] : []),
  { key: `s${day}`, state: "succeeded", finishedHoursAgo: day * 24 + 2 - (day % 3), ships: [{ pr: 100 + day, mergedHoursAgo: day * 24 + 4 + (day % 7) * 2 }] },
]);

describeInBrowser("/dora in headless Chromium", () => {
  let t: TestApp;
  let app: Awaited<ReturnType<typeof startDashboardTestApp>> | undefined;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    app = await startDashboardTestApp("jordan-payments");
    t = app.t;
    const now = new Date();
    await seedHistory(t.store, now, "donations", "prod", WEEK_OF_DONATIONS);
    await seedHistory(t.store, now, "donations", "staging", MONTH_OF_STAGING);
    browser = await openBrowser();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  test("shows the metrics of a seeded week, as the test works them out, with a chart per metric and the definitions", async () => {
    await page.goto(`${t.url}/dora?service=donations&env=prod&days=7`);
    await page.getByRole("link", { name: "Sign in with GitHub" }).click();
    await page.waitForURL((url) => url.pathname === "/dora");
    const expected = expectedOf(WEEK_OF_DONATIONS);
    const cell = (metric: string) => page.locator(`tr[data-metric="${metric}"] td[data-window="7"]`);
    await seeText(cell("deployment-frequency"), expected.frequency, true);
    await seeText(cell("lead-time-median"), expected.leadMedian, true);
    await seeText(cell("lead-time-p90"), expected.leadP90, true);
    await seeText(cell("change-failure-rate"), expected.failureRate, true);
    await seeText(cell("time-to-restore"), expected.restore, true);
    await seeCount(page.locator(".dora-charts svg"), 4);
    await seeText(page.locator("dl.definitions"), "rolled back within 24 hours of going live");
    expect(await page.locator("select[name=days]").inputValue()).toBe("7");
  });

  test("every target over 30 days, charted with trend lines (the screenshot in docs/dashboard.md)", async () => {
    await page.goto(`${t.url}/dora?days=30`);
    await seeCount(page.locator(".dora-charts svg"), 4);
    await seeCount(page.locator(".dora-charts figure").first().locator("svg rect"), 30); // a bar a day
    expect(await page.locator(".dora-charts line.trend").count()).toBe(4);
    await seeText(page.locator('tr[data-target="donations/staging"]'), "donations staging");
    await page.screenshot({ path: screenshotPath("dora.png"), fullPage: true });
  });
});
