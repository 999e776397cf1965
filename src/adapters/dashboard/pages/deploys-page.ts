import type { Deploy, DeployState } from "../../../core/model/deploy.js";
import type { DeployFilter } from "../../../core/ports/store.js";
import { parseIsoInZone } from "../../../core/time/zoned-time.js";
import { duration, moment, shortSha } from "../format.js";
import { html, type SafeHtml } from "../html.js";
import type { DashboardPage, PageContext } from "../page.js";

const STATES: readonly DeployState[] = ["awaiting_approval", "queued", "running", "succeeded", "failed", "cancelled"];
const PAGE_SIZE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ACTOR = /^[A-Za-z0-9:._\-[\] ()@]{1,100}$/;

/** The query's filters, checked: a bad one is named on the page and the list is not read. */
function filtersOf(context: PageContext): { filter: DeployFilter; problems: string[] } {
  const { config } = context.deps;
  const q = context.url.searchParams;
  const value = (name: string) => q.get(name)?.trim() || undefined;
  const problems: string[] = [];
  const filter: { -readonly [K in keyof DeployFilter]: DeployFilter[K] } = { limit: PAGE_SIZE + 1 };
  const check = (name: string, ok: (v: string) => boolean, set: (v: string) => void, problem: (v: string) => string) => {
    const v = value(name);
    if (v === undefined) return;
    if (ok(v)) set(v);
    else problems.push(problem(v));
  };
  check("service", (v) => Object.hasOwn(config.services, v), (v) => (filter.service = v), (v) => `unknown service "${v}"`);
  check("env", (v) => Object.hasOwn(config.environments, v), (v) => (filter.env = v), (v) => `unknown environment "${v}"`);
  check("actor", (v) => ACTOR.test(v), (v) => (filter.actor = v.replace(/^@/, "")), () => "actor must be a GitHub login, a Slack user id or api:<client>");
  check("state", (v) => (STATES as readonly string[]).includes(v), (v) => (filter.states = [v as DeployState]), (v) => `unknown state "${v}"`);
  const day = (name: "from" | "to", nextDay: boolean) => {
    const text = value(name);
    if (!text) return undefined;
    const start = DAY.test(text) ? parseIsoInZone(text, config.timezone) : undefined;
    if (!start) return void problems.push(`${name} must be a date like 2026-11-03`);
    if (!nextDay) return start.toISOString();
    const [y, m, d] = text.split("-").map(Number) as [number, number, number];
    const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
    return parseIsoInZone(next, config.timezone)!.toISOString();
  };
  const from = day("from", false);
  const to = day("to", true);
  if (from) filter.requestedFrom = from;
  if (to) filter.requestedBefore = to;
  check("before", (v) => /^\d{1,15}$/.test(v), (v) => (filter.beforeSeq = Number(v)), () => "before must be the cursor of a previous page");
  return { filter, problems };
}

/** Every deploy, newest first, filtered by service, environment, who, state and day, a page at a time. */
export const deploysPage: DashboardPage = {
  path: "/deploys",
  nav: { label: "Deploys" },
  async render(context) {
    const { store, config, clock } = context.deps;
    const now = clock.now();
    const { filter, problems } = filtersOf(context);
    const rows = problems.length ? [] : await store.listDeploys(filter);
    const shown = rows.slice(0, PAGE_SIZE);
    const q = context.url.searchParams;
    const next = rows.length > PAGE_SIZE ? new URLSearchParams([...q.entries()].filter(([k]) => k !== "before").concat([["before", String(shown.at(-1)!.seq)]])) : undefined;
    const select = (name: string, label: string, options: readonly string[]) =>
      html`<label>${label} <select name="${name}"><option value="">any</option>${options.map((o) => html`<option${q.get(name) === o ? html` selected` : ""}>${o}</option>`)}</select></label>`;
    return {
      title: "Deploys",
      body: html`<form class="filters" method="get" action="/deploys" role="search">
          ${select("service", "Service", Object.keys(config.services))}
          ${select("env", "Environment", Object.keys(config.environments))}
          <label>Actor <input name="actor" value="${q.get("actor") ?? ""}" placeholder="alice" size="12"></label>
          ${select("state", "State", STATES)}
          <label>From <input type="date" name="from" value="${q.get("from") ?? ""}"></label>
          <label>To <input type="date" name="to" value="${q.get("to") ?? ""}"></label>
          <button type="submit">Filter</button> <a href="/deploys">Clear</a>
        </form>
        ${problems.length ? html`<p class="flash flash-refused" role="alert">Cannot filter: ${problems.join("; ")}.</p>` : ""}
        <div id="live" data-live>
          ${shown.length ? deployTable(shown, config.timezone, now) : html`<p>No deploys match.</p>`}
          <nav class="pager" aria-label="Pages">${q.get("before") ? html`<a href="/deploys?${new URLSearchParams([...q.entries()].filter(([k]) => k !== "before")).toString()}">Newest</a>` : ""}${next ? html`<a href="/deploys?${next.toString()}" rel="next">Older →</a>` : ""}</nav>
        </div>`,
    };
  },
};

/** The deploys as a table (the deploys page, and a service's recent ones elsewhere). */
export function deployTable(deploys: readonly Deploy[], timezone: string, now: Date): SafeHtml {
  return html`<table class="list"><thead><tr><th scope="col">Deploy</th><th scope="col">Target</th><th scope="col">Sha</th><th scope="col">By</th><th scope="col">State</th><th scope="col">Asked</th><th scope="col">Took</th></tr></thead><tbody>
    ${deploys.map(
      (d) => html`<tr>
        <td data-label="Deploy"><a href="/deploys/${d.id}">${d.id}</a>${d.rollbackOf ? html` <span class="meta">rollback</span>` : ""}${d.forced ? html` <span class="meta">forced</span>` : ""}</td>
        <td data-label="Target">${d.service}/${d.env}</td>
        <td data-label="Sha"><code>${shortSha(d.sha)}</code> <span class="meta">${d.ref === d.sha ? "" : d.ref}</span></td>
        <td data-label="By">${d.actor} <span class="meta">via ${d.surface}</span></td>
        <td data-label="State"><span class="state state-${d.state}">${d.state.replace("_", " ")}</span></td>
        <td data-label="Asked">${moment(d.requestedAt, timezone, now)}</td>
        <td data-label="Took">${d.startedAt && d.finishedAt ? duration(Date.parse(d.finishedAt) - Date.parse(d.startedAt)) : ""}</td>
      </tr>`,
    )}</tbody></table>`;
}
