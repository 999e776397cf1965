import type { Deploy } from "../../../core/model/deploy.js";
import { verificationLeft } from "../../../core/model/verification-text.js";
import { readBoard, progressOf, cellKey, type BoardCell } from "../board-model.js";
import { actionButton } from "../forms.js";
import { ago, duration, moment, shortSha } from "../format.js";
import { html, safeUrl, type SafeHtml } from "../html.js";
import type { DashboardPage, PageContext } from "../page.js";
import { commitUrl, pullUrl } from "../links.js";

/** The board: services × environments, what is live, what moves, what holds them. */
export const boardPage: DashboardPage = {
  path: "/",
  nav: { label: "Board" },
  async render(context) {
    const { config, clock } = context.deps;
    const now = clock.now();
    const board = await readBoard(context.deps, now);
    const rows = board.services.map(
      (service) => html`<tr>
        <th scope="row"><a href="/deploys?service=${service}">${service}</a></th>
        ${board.environments.map((env) => {
          const cell = board.cells.get(cellKey(service, env));
          return html`<td data-label="${env}" data-cell="${service}/${env}">${cell ? cellBody(context, cell, now) : html`<span class="muted">not deployed here</span>`}</td>`;
        })}
      </tr>`,
    );
    return {
      title: "Board",
      body: html`<div id="live" data-live>
        <p class="muted">Times in ${config.timezone}. ${board.locks.length ? html`<a href="/locks">${board.locks.length} lock${board.locks.length === 1 ? "" : "s"}</a> in force.` : "No locks."}</p>
        <div class="board-wrap"><table class="board">
          <caption class="visually-hidden">Services (rows) by environment (columns)</caption>
          <thead><tr><th scope="col">Service</th>${board.environments.map((env) => html`<th scope="col">${env}</th>`)}</tr></thead>
          <tbody>${rows}</tbody>
        </table></div>
      </div>`,
    };
  },
};

function cellBody(context: PageContext, cell: BoardCell, now: Date): SafeHtml {
  const { config, githubUrl } = context.deps;
  const { service, env, repo } = cell.target;
  const tz = config.timezone;
  const live = cell.live;
  return html`
    <div class="live-release">${
      live
        ? html`<a class="sha" href="${safeUrl(commitUrl(githubUrl, repo, live.sha))}">${shortSha(live.sha)}</a>
          ${live.pr ? html`<a href="${safeUrl(pullUrl(githubUrl, repo, live.pr.number))}">#${live.pr.number}${live.pr.title ? ` ${live.pr.title}` : ""}</a>` : ""}
          <span class="meta"><a href="/deploys/${live.deployId}">${ago(live.deployedAt, now)}</a> by ${live.actor}</span>`
        : html`<span class="muted">nothing live</span>`
    }</div>
    ${cell.running ? runningBlock(context, cell.running, now) : ""}
    ${cell.verifying?.verification
      ? html`<p class="verifying" data-deploy="${cell.verifying.id}">🔎 <a href="/deploys/${cell.verifying.id}">${shortSha(cell.verifying.sha)}</a> by ${cell.verifying.actor}:
          ${verificationLeft(cell.verifying.verification, now)} (${cell.verifying.verification.alarms.join(", ")})
          ${actionButton(context, "cancel", "Stop verifying", { id: cell.verifying.id })}</p>`
      : ""}
    ${cell.queued.length ? html`<p class="queued">⏳ ${cell.queued.length} queued${waitingNote(cell.queued)}</p>` : ""}
    ${cell.awaitingApproval.map(
      (d) => html`<p class="awaiting">✋ <a href="/deploys/${d.id}">${shortSha(d.sha)}</a> by ${d.actor} awaits approval
        ${actionButton(context, "approve", "Approve", { id: d.id })}${actionButton(context, "reject", "Reject", { id: d.id }, "danger")}</p>`,
    )}
    ${cell.lock
      ? html`<p class="lock">🔒 <strong>${cell.lock.owner}</strong>${cell.lock.reason ? html` — ${cell.lock.reason}` : ""}
          <span class="meta">${cell.lock.expiresAt ? html`until ${moment(cell.lock.expiresAt, tz, now)}` : "until unlocked"}</span>
          ${actionButton(context, "unlock", "Unlock", { service: cell.lock.service, env: cell.lock.env })}</p>`
      : ""}
    ${cell.openWindows.map(
      ({ window, end }) => html`<p class="window window-${window.kind}">${window.kind === "deny" ? "⛔" : "✅"} <a href="/windows">${window.name}</a> until ${moment(end.toISOString(), tz, now)}</p>`,
    )}
    ${cell.closedBy && !cell.openWindows.some((w) => w.window.kind === "deny") ? html`<p class="window window-deny">⛔ outside its allow windows</p>` : ""}
    <div class="cell-actions">
      ${live && !cell.running && !cell.verifying ? actionButton(context, "rollback", "Roll back", { id: live.deployId }, "danger") : ""}
      ${cell.lock ? "" : html`<a class="button-link" href="/locks?service=${service}&amp;env=${env}">Lock…</a>`}
    </div>`;
}

function runningBlock(context: PageContext, deploy: Deploy, now: Date): SafeHtml {
  const { done, total, stage } = progressOf(deploy);
  const label = stage ? `${stage} (${Math.min(done + 1, total)}/${total})` : total ? `starting (${done}/${total})` : "starting";
  return html`<div class="running" data-deploy="${deploy.id}" data-stage="${stage ?? ""}">
    <p>▶ <a href="/deploys/${deploy.id}">${shortSha(deploy.sha)}</a> by ${deploy.actor} · <span class="stage">${label}</span>
    ${deploy.startedAt ? html`<span class="meta">${duration(now.getTime() - Date.parse(deploy.startedAt))}</span>` : ""}</p>
    <progress max="${total || 1}" value="${done}" aria-label="${deploy.service} ${deploy.env}: ${done} of ${total} stages done">${done}/${total}</progress>
    ${actionButton(context, "cancel", "Cancel", { id: deploy.id }, "danger")}
  </div>`;
}

const waitingNote = (queued: readonly Deploy[]): string => {
  const waiting = queued.filter((d) => d.waitingReason).length;
  return waiting ? ` (${waiting} waiting for a window)` : "";
};
