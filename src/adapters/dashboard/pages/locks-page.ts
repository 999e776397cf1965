import { lockActive, type Lock } from "../../../core/model/lock.js";
import { actionButton, lockForm } from "../forms.js";
import { ago, moment } from "../format.js";
import { html } from "../html.js";
import type { DashboardPage } from "../page.js";

/** Every lock in force, with Unlock, and the form to take one. */
export const locksPage: DashboardPage = {
  path: "/locks",
  nav: { label: "Locks" },
  async render(context) {
    const { store, config, clock } = context.deps;
    const now = clock.now();
    const locks = (await store.listLocks(now)).filter((l) => lockActive(l, now)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const preset = { service: context.url.searchParams.get("service") ?? undefined, env: context.url.searchParams.get("env") ?? undefined };
    const row = (lock: Lock) => html`<tr>
      <td data-label="Scope"><strong>${lock.service}/${lock.env}</strong></td>
      <td data-label="Owner">${lock.owner}</td>
      <td data-label="Reason">${lock.reason ?? html`<span class="muted">none given</span>`}</td>
      <td data-label="Since">${moment(lock.createdAt, config.timezone, now)} <span class="meta">(${ago(lock.createdAt, now)})</span></td>
      <td data-label="Until">${lock.expiresAt ? moment(lock.expiresAt, config.timezone, now) : "until unlocked"}</td>
      <td>${actionButton(context, "unlock", "Unlock", { service: lock.service, env: lock.env })}
        ${actionButton(context, "unlock", "Force unlock", { service: lock.service, env: lock.env, force: "yes" }, "danger")}</td>
    </tr>`;
    return {
      title: "Locks",
      body: html`<h2>Take a lock</h2>
        <p class="muted">A lock stops everyone else's deploys to what it covers until it ends or is unlocked; yours still pass. Only admins may lock <code>all</code>.</p>
        ${lockForm(context, preset)}
        <div id="live" data-live>
          <h2>In force</h2>
          ${locks.length
            ? html`<table class="list"><thead><tr><th scope="col">Scope</th><th scope="col">Owner</th><th scope="col">Reason</th><th scope="col">Since</th><th scope="col">Until</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody>${locks.map(row)}</tbody></table>`
            : html`<p>No locks are in force.</p>`}
        </div>`,
    };
  },
};
