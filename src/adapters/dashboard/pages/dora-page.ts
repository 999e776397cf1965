import { html } from "../html.js";
import type { DashboardPage } from "../page.js";

/**
 * DORA metrics (deployment frequency, lead time for changes, change failure rate, time to restore)
 * per service and environment. The page's place in the dashboard is here: its path, its link in
 * the navigation, and a render that gets the same PageContext as every page.
 */
export const doraPage: DashboardPage = {
  path: "/dora",
  nav: { label: "DORA" },
  async render() {
    return {
      title: "DORA metrics",
      body: html`<p>DORA metrics per service and environment are not computed by this Whistlestop yet.</p>`,
    };
  },
};
