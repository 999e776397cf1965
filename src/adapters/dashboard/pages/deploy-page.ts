import { describeChangeSet } from "../../../core/changes/describe-change-set.js";
import type { AuditEntry } from "../../../core/model/audit.js";
import type { Deploy, StageProgress } from "../../../core/model/deploy.js";
import { verificationLines } from "../../../core/model/verification-text.js";
import { actionButton } from "../forms.js";
import { duration, moment } from "../format.js";
import { html, safeUrl, type SafeHtml } from "../html.js";
import { commitUrl, pullUrl, slackThreadUrl } from "../links.js";
import type { DashboardPage, PageContext } from "../page.js";

const DEPLOY_ID = /^[a-zA-Z0-9-]{1,128}$/;

/** One deploy: its facts and links, its stages with durations, what it ships, and its audit trail. */
export const deployPage: DashboardPage = {
  path: "/deploys/:id",
  async render(context) {
    const { store, config, clock } = context.deps;
    const id = context.params.id ?? "";
    const deploy = DEPLOY_ID.test(id) ? await store.getDeploy(id) : undefined;
    if (!deploy) return { title: "No such deploy", status: 404, body: html`<p>There is no deploy ${id}. <a href="/deploys">All deploys</a>.</p>` };
    const now = clock.now();
    const [audit, queuePosition] = await Promise.all([store.listAudit({ deployId: deploy.id, limit: 200 }), deploy.state === "queued" ? store.queuePosition(deploy.id) : Promise.resolve(0)]);
    const tz = config.timezone;
    return {
      title: `Deploy ${deploy.id}`,
      stream: `/deploys/${deploy.id}/events`,
      body: html`<div id="live" data-live>
        ${facts(context, deploy, queuePosition, now)}
        ${actions(context, deploy)}
        <h2>Stages</h2>
        ${deploy.stages.length ? html`<ol class="timeline">${deploy.stages.map((s) => stageItem(s, tz, now))}</ol>` : html`<p class="muted">No stages yet: the pipeline has not started.</p>`}
        <h2>What it ${deploy.rollbackOf || deploy.changeSet?.direction === "takes_out" ? "takes out" : "ships"}</h2>
        ${changeSetBlock(context, deploy)}
        <h2>Audit</h2>
        ${audit.length ? auditList(audit, tz, now) : html`<p class="muted">Nothing recorded for this deploy.</p>`}
      </div>`,
    };
  },
};

function facts(context: PageContext, deploy: Deploy, queuePosition: number, now: Date): SafeHtml {
  const { config, githubUrl, pipeline } = context.deps;
  const tz = config.timezone;
  const repo = config.services[deploy.service]?.repo;
  const console = deploy.executionId ? pipeline.executionUrl(deploy.pipelineName, deploy.executionId) : undefined;
  const took = deploy.startedAt ? duration((deploy.finishedAt ? Date.parse(deploy.finishedAt) : now.getTime()) - Date.parse(deploy.startedAt)) : undefined;
  return html`<dl class="facts">
    <dt>Target</dt><dd><a href="/deploys?service=${deploy.service}&amp;env=${deploy.env}">${deploy.service}/${deploy.env}</a></dd>
    <dt>State</dt><dd><span class="state state-${deploy.state}">${deploy.state.replace("_", " ")}</span>${queuePosition ? ` (position ${queuePosition} in the queue)` : ""}${deploy.waitingReason ? html` — ${deploy.waitingReason}` : ""}</dd>
    ${deploy.error ? html`<dt>Error</dt><dd>${deploy.error}${deploy.reasonCode && deploy.reasonCode !== deploy.error ? html` <code>${deploy.reasonCode}</code>` : ""}</dd>` : ""}
    <dt>Sha</dt><dd>${repo ? html`<a class="sha" href="${safeUrl(commitUrl(githubUrl, repo, deploy.sha))}">${deploy.sha}</a>` : html`<code>${deploy.sha}</code>`} <span class="meta">(${deploy.ref})</span></dd>
    <dt>Asked by</dt><dd>${deploy.actor} via ${deploy.surface}${deploy.forced ? html` — <strong>forced</strong>` : ""}${deploy.reason ? html`: ${deploy.reason}` : ""}</dd>
    <dt>Asked</dt><dd>${moment(deploy.requestedAt, tz, now)}</dd>
    ${deploy.startedAt ? html`<dt>Started</dt><dd>${moment(deploy.startedAt, tz, now)}</dd>` : ""}
    ${deploy.finishedAt ? html`<dt>Finished</dt><dd>${moment(deploy.finishedAt, tz, now)}</dd>` : ""}
    ${took ? html`<dt>Took</dt><dd>${took}${deploy.finishedAt ? "" : " so far"}</dd>` : ""}
    ${deploy.verification ? html`<dt>Verification</dt><dd>${verificationLines(deploy, now).map((line, i) => html`${i ? html`<br>` : ""}${line}`)}</dd>` : ""}
    ${deploy.artifact ? html`<dt>Artifact</dt><dd><code>${deploy.artifact}</code></dd>` : ""}
    ${deploy.rollbackOf ? html`<dt>Rolls back</dt><dd><a href="/deploys/${deploy.rollbackOf}">${deploy.rollbackOf}</a></dd>` : ""}
    ${deploy.autoRollbackId ? html`<dt>Rolled back by</dt><dd><a href="/deploys/${deploy.autoRollbackId}">${deploy.autoRollbackId}</a></dd>` : ""}
    ${deploy.approval ? html`<dt>Approvals</dt><dd>${deploy.approval.approvedBy.length} of ${deploy.approval.required}${deploy.approval.approvedBy.length ? ` (${deploy.approval.approvedBy.join(", ")})` : ""}, expires ${moment(deploy.approval.expiresAt, tz, now)}</dd>` : ""}
    <dt>Links</dt><dd>
      ${console ? html`<a href="${safeUrl(console)}">Pipeline execution</a> · ` : html`<span class="muted">no pipeline execution yet</span> · `}
      ${repo && deploy.prNumber ? html`<a href="${safeUrl(pullUrl(context.deps.githubUrl, repo, deploy.prNumber))}">Pull request #${deploy.prNumber}</a> · ` : ""}
      ${repo ? html`<a href="${safeUrl(commitUrl(context.deps.githubUrl, repo, deploy.sha))}">Commit on GitHub</a>` : ""}
      ${deploy.slackChannel && deploy.slackTs ? html` · <a href="${safeUrl(slackThreadUrl(deploy.slackChannel, deploy.slackTs))}">Slack thread</a>` : ""}
    </dd>
  </dl>`;
}

function actions(context: PageContext, deploy: Deploy): SafeHtml {
  const buttons: SafeHtml[] = [];
  if (deploy.state === "awaiting_approval") {
    buttons.push(actionButton(context, "approve", "Approve", { id: deploy.id }), actionButton(context, "reject", "Reject", { id: deploy.id }, "danger"));
  }
  if (["awaiting_approval", "queued", "running"].includes(deploy.state)) buttons.push(actionButton(context, "cancel", "Cancel deploy", { id: deploy.id }, "danger"));
  // Its release is already live: stopping only ends the watch early, so it is not a danger button.
  if (deploy.state === "verifying") buttons.push(actionButton(context, "cancel", "Stop verifying", { id: deploy.id }));
  if (deploy.state === "succeeded") buttons.push(actionButton(context, "rollback", "Roll back this release", { id: deploy.id }, "danger"));
  return buttons.length ? html`<p class="cell-actions">${buttons}</p>` : html``;
}

const MARK: Readonly<Record<string, string>> = { succeeded: "✓", running: "●", waiting: "○", failed: "✗", cancelled: "✗", skipped: "–" };

function stageItem(stage: StageProgress, tz: string, now: Date): SafeHtml {
  const took = stage.startedAt ? duration((stage.finishedAt ? Date.parse(stage.finishedAt) : now.getTime()) - Date.parse(stage.startedAt)) : undefined;
  const failed = stage.actions?.find((a) => a.status === "failed");
  return html`<li class="stage-${stage.status}" data-stage="${stage.name}" data-status="${stage.status}">
    <strong>${MARK[stage.status] ?? "○"} ${stage.name}</strong> <span class="state state-${stage.status}">${stage.status}</span>
    ${stage.startedAt ? html`<span class="meta">from ${moment(stage.startedAt, tz, now)}${took ? html`, ${took}${stage.finishedAt ? "" : " so far"}` : ""}</span>` : ""}
    ${failed ? html`<p>${failed.name}: ${failed.errorMessage ?? failed.errorCode ?? "failed"}${failed.url ? html` (<a href="${safeUrl(failed.url)}">log</a>)` : ""}</p>` : ""}
  </li>`;
}

function changeSetBlock(context: PageContext, deploy: Deploy): SafeHtml {
  const changeSet = deploy.changeSet;
  if (!changeSet) return html`<p class="muted">Not worked out yet (it needs GitHub to compare commits).</p>`;
  const repo = context.deps.config.services[deploy.service]?.repo;
  return html`<p>${describeChangeSet(changeSet)}${changeSet.compareUrl ? html` <a href="${safeUrl(changeSet.compareUrl)}">Compare on GitHub</a>` : ""}</p>
    ${changeSet.pulls.length
      ? html`<ul>${changeSet.pulls.map(
          (p) => html`<li>${repo ? html`<a href="${safeUrl(pullUrl(context.deps.githubUrl, repo, p.number))}">#${p.number}</a>` : `#${p.number}`} ${p.title}${p.author ? html` <span class="meta">— ${p.author}</span>` : ""}</li>`,
        )}</ul>`
      : ""}`;
}

function auditList(entries: readonly AuditEntry[], tz: string, now: Date): SafeHtml {
  return html`<table class="list"><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Outcome</th><th scope="col">Message</th></tr></thead><tbody>
    ${[...entries]
      .sort((a, b) => a.at.localeCompare(b.at))
      .map(
        (e) => html`<tr><td data-label="When">${moment(e.at, tz, now)}</td><td data-label="Who">${e.actor} <span class="meta">${e.surface}</span></td><td data-label="What">${e.action}</td>
          <td data-label="Outcome">${e.outcome}${e.reasonCode ? html` <code>${e.reasonCode}</code>` : ""}</td><td data-label="Message">${e.message ?? ""}</td></tr>`,
      )}</tbody></table>`;
}
