import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { waitFor } from "../kit/wait-for.js";

/** Debian's Chromium; nothing is ever downloaded. `.ci/run` installs it. */
export const CHROMIUM = "/usr/bin/chromium";
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const SKIP_REASON = `skipped: no Chromium at ${CHROMIUM} (install it with \`apt-get install -y chromium\` to run the browser tests)`;

/** `describe` when Chromium is here; otherwise a skipped block whose name says why. */
export function describeInBrowser(name: string, body: () => void): void {
  if (HAS_CHROMIUM) describe(name, body);
  else describe.skip(`${name} — ${SKIP_REASON}`, body);
}

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface TestBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile of its own, so no test sees another's cookies. */
export async function openBrowser(options: { timezoneId?: string; locale?: string; viewport?: { width: number; height: number } } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "whistlestop-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    timezoneId: options.timezoneId ?? "America/New_York",
    locale: options.locale ?? "en-US",
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Screenshots the docs show, taken by the tests so they stay true. */
export const screenshotPath = (name: string): string => new URL(`../../docs/images/${name}`, import.meta.url).pathname;

/** Waits until the element's text contains `text` (or equals it), the way a person would wait to read it. */
export async function seeText(locator: Locator, text: string, exact = false): Promise<void> {
  let last = "";
  try {
    await waitFor(`text ${JSON.stringify(text)}`, async () => {
      last = ((await locator.first().textContent({ timeout: 2000 }).catch(() => "")) ?? "").replace(/\s+/g, " ").trim();
      return (exact ? last === text : last.includes(text)) ? true : undefined;
    }, 10_000, 25);
  } catch (error) {
    throw new Error(`${(error as Error).message}; the element said ${JSON.stringify(last.slice(0, 400))}`);
  }
}

/** Waits until `count` elements match. */
export async function seeCount(locator: Locator, count: number): Promise<void> {
  await waitFor(`${count} matching elements`, async () => ((await locator.count()) === count ? true : undefined), 10_000, 25);
}
