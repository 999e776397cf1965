import type { AuditFilters } from "../../../core/commands/read-audit.js";
import { moment } from "../format.js";
import { html } from "../html.js";
import type { DashboardPage } from "../page.js";

const FILTERS = ["service", "env", "actor", "since", "cursor"] as const;

/** The audit log, searchable: the same read as GET /api/v1/audit (admins only), a page at a time. */
export const auditPage: DashboardPage = {
  path: "/audit",
  nav: { label: "Audit" },
  async render(context) {
    const { config, clock, runner } = context.deps;
    const now = clock.now();
    const q = context.url.searchParams;
    const filters: { -readonly [K in keyof AuditFilters]: string } = {};
    for (const key of FILTERS) {
      const value = q.get(key)?.trim();
      if (value) filters[key] = value;
    }
    const answer = runner.readAudit ? await runner.readAudit(filters, context.viewer.actor) : { kind: "forbidden" as const, message: "This server does not serve the audit log." };
    const select = (name: string, label: string, options: readonly string[]) =>
      html`<label>${label} <select name="${name}"><option value="">any</option>${options.map((o) => html`<option${q.get(name) === o ? html` selected` : ""}>${o}</option>`)}</select></label>`;
    const form = html`<form class="filters" method="get" action="/audit" role="search">
      ${select("service", "Service", Object.keys(config.services))}
      ${select("env", "Environment", Object.keys(config.environments))}
      <label>Actor <input name="actor" value="${q.get("actor") ?? ""}" placeholder="alice, slack:U…, api:ci" size="14"></label>
      <label>Since <input name="since" value="${q.get("since") ?? ""}" placeholder="24h, 7d or 2026-11-03" size="14"></label>
      <button type="submit">Search</button> <a href="/audit">Clear</a>
    </form>`;
    if (answer.kind !== "page") {
      return { title: "Audit log", status: answer.kind === "forbidden" ? 403 : 400, body: html`${form}<p class="flash flash-refused" role="alert">${answer.message}</p>` };
    }
    const next = answer.next ? new URLSearchParams([...[...q.entries()].filter(([k]) => k !== "cursor"), ["cursor", answer.next]]) : undefined;
    return {
      title: "Audit log",
      body: html`${form}<div id="live" data-live>
        ${answer.entries.length
          ? html`<table class="list"><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Target</th><th scope="col">Outcome</th><th scope="col">Message</th></tr></thead><tbody>
              ${answer.entries.map(
                (e) => html`<tr><td data-label="When">${moment(e.at, config.timezone, now)}</td><td data-label="Who">${e.actor} <span class="meta">${e.surface}</span></td>
                  <td data-label="What">${e.action}</td><td data-label="Target">${e.service ? `${e.service}/${e.env ?? "—"}` : ""}${e.deployId ? html` <a href="/deploys/${e.deployId}">${e.deployId}</a>` : ""}</td>
                  <td data-label="Outcome">${e.outcome}${e.reasonCode ? html` <code>${e.reasonCode}</code>` : ""}</td><td data-label="Message">${e.message ?? ""}</td></tr>`,
              )}</tbody></table>`
          : html`<p>Nothing in the audit log matches.</p>`}
        <nav class="pager" aria-label="Pages">${q.get("cursor") ? html`<a href="/audit?${new URLSearchParams([...q.entries()].filter(([k]) => k !== "cursor")).toString()}">Newest</a>` : ""}${next ? html`<a href="/audit?${next.toString()}" rel="next">Older →</a>` : ""}</nav>
      </div>`,
    };
  },
};
