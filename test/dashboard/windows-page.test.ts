import { parseConfig } from "../../src/config/load-config.js";
import { loadTestConfig } from "../kit/test-app.js";
import { CookieClient, startDashboardTestApp } from "./dashboard-kit.js";

const BASE = `
timezone: America/New_York
environments: { staging: {}, prod: {} }
services:
  donations: { repo: whistlestop-demo/donations }
`;
/** Saturday evenings only: two of the 14 days from Tuesday 27 October 2026 have a window. */
const SATURDAYS = `${BASE}
windows:
  - name: Saturday freeze
    kind: deny
    cron: "0 21 * * 6"
    duration: 3h
    environments: [prod]
`;

/** The /windows calendar over plain HTTP: days with windows get a block, days without are folded into one line per run. */
describe("the windows page's calendar", () => {
  let app: Awaited<ReturnType<typeof startDashboardTestApp>> | undefined;
  // Tuesday 27 October 2026, noon in New York; 1 November (a Sunday) has 25 hours there.
  const clock = { now: () => new Date("2026-10-27T16:00:00Z") };

  afterEach(() => app?.close());

  async function windowsPage(configText: string): Promise<string> {
    const parsed = parseConfig(configText, "whistlestop.yml");
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    app = await startDashboardTestApp("octocat", { config: { ...loadTestConfig(), ...parsed.config }, clock });
    const page = await new CookieClient(app.t.url).signIn("/windows");
    expect(page.status).toBe(200);
    return page.text;
  }

  const count = (text: string, needle: string) => text.split(needle).length - 1;

  test("only the days that have windows get a block; each run of empty days is one line, with the clock change it holds", async () => {
    const text = await windowsPage(SATURDAYS);
    expect([...text.matchAll(/<section class="day" data-date="([\d-]+)"/g)].map((m) => m[1])).toEqual(["2026-10-31", "2026-11-07"]);
    expect(text).not.toContain("No windows.");
    const quiet = [...text.matchAll(/<p class="quiet-days muted" data-from="([\d-]+)" data-to="([\d-]+)">(.*?)<\/p>/g)].map((m) => [m[1], m[2], m[3]!.replace(/<[^>]+>/g, "")]);
    expect(quiet).toEqual([
      ["2026-10-27", "2026-10-30", "No windows from Tue Oct 27 to Fri Oct 30."],
      ["2026-11-01", "2026-11-06", "No windows from Sun Nov 1 to Fri Nov 6. Sun Nov 1 has 25 hours: clocks go back one hour."],
      ["2026-11-08", "2026-11-09", "No windows from Sun Nov 8 to Mon Nov 9."],
    ]);
    expect(text).not.toContain("No windows in the next");
  });

  test("a range without any window says so once", async () => {
    const text = await windowsPage(BASE);
    expect(text).toContain("No critical windows are configured.");
    expect(count(text, "No windows")).toBe(1);
    expect(text).toContain("No windows in the next 14 days.");
    expect(text).not.toContain('class="day"');
    expect(text).not.toContain("quiet-days");
  });
});
