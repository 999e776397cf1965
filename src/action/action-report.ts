import { formatDuration } from "../cli/progress-view.js";
import type { DeployView } from "../core/commands/command-result.js";
import type { ActionCommand } from "./action-inputs.js";

/** How the step ends: what it outputs, says and whether it passes. */
export interface ActionReport {
  readonly command: ActionCommand;
  readonly service: string;
  readonly environment: string;
  readonly passed: boolean;
  /** The `state` output: a deploy's state, refused, deployable/blocked (check), done (lock, unlock, cancel). */
  readonly state: string;
  readonly message: string;
  readonly reasonCode?: string;
  readonly deploy?: DeployView;
  /** The sha a `diff` compared, when there is no deploy. */
  readonly sha?: string;
}

/** "donations → staging", or the service alone for `status`. */
export const whereOf = (report: Pick<ActionReport, "service" | "environment">): string => (report.environment ? `${report.service} → ${report.environment}` : report.service);

export interface SummaryLinks {
  /** `https://github.com/owner/repo`, for commit links. */
  readonly repositoryUrl?: string;
}

/** The five outputs; blank when they do not apply, so expressions never see "undefined". */
export function reportOutputs(report: ActionReport): Record<string, string> {
  return {
    "deploy-id": report.deploy?.id ?? "",
    state: report.state,
    "reason-code": report.reasonCode ?? "",
    sha: report.deploy?.sha ?? report.sha ?? "",
    artifact: report.deploy?.artifact ?? "",
  };
}

const STATE_ICON: Readonly<Record<string, string>> = {
  succeeded: "✅",
  deployable: "✅",
  done: "✅",
  running: "🔄",
  queued: "⏳",
  waiting: "○",
  failed: "❌",
  cancelled: "⛔",
  refused: "⛔",
  blocked: "⛔",
  skipped: "➖",
};

/** Markdown text in a paragraph or table cell: no HTML, links, emphasis or column breaks from server text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#!~]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, " ");
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const clock = (iso: string | undefined) => (iso && !Number.isNaN(Date.parse(iso)) ? `${new Date(iso).toISOString().slice(11, 19)} UTC` : "—");
const took = (from: string | undefined, to: string | undefined): string => {
  if (!from || !to) return "—";
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isNaN(ms) ? "—" : formatDuration(ms);
};
const safeUrl = (url: string | undefined) => (url && /^https?:\/\/[^\s()<>]+$/.test(url) ? url : undefined);

function title(report: ActionReport): string {
  const what = report.command === "check" ? "check" : report.deploy?.rollbackOf ? "rollback" : report.command;
  return `${STATE_ICON[report.state] ?? "•"} Whistlestop ${what}: ${escapeMarkdown(whereOf(report))} ${escapeMarkdown(report.state)}`;
}

function detailRows(deploy: DeployView, links: SummaryLinks): string[] {
  const rows: Array<[string, string]> = [["Deploy", code(deploy.id)]];
  const commit = safeUrl(links.repositoryUrl) ? `[${code(deploy.sha.slice(0, 7))}](${links.repositoryUrl}/commit/${encodeURIComponent(deploy.sha)})` : code(deploy.sha.slice(0, 7));
  rows.push(["Commit", deploy.ref && deploy.ref !== deploy.sha ? `${commit} (${escapeMarkdown(deploy.ref)})` : commit]);
  rows.push(["Actor", escapeMarkdown(deploy.actor)]);
  if (deploy.rollbackOf) rows.push(["Rolls back", code(deploy.rollbackOf)]);
  if (deploy.artifact) rows.push(["Artifact", code(deploy.artifact)]);
  const pipeline = safeUrl(deploy.executionUrl);
  if (pipeline) rows.push(["Pipeline", `[execution ${escapeMarkdown(deploy.executionId ?? "")}](${pipeline})`]);
  else if (deploy.executionId) rows.push(["Pipeline", `execution ${code(deploy.executionId)}`]);
  rows.push(["Requested", `${deploy.requestedAt.slice(0, 10)} ${clock(deploy.requestedAt)}`]);
  if (deploy.finishedAt) rows.push(["Took", took(deploy.startedAt ?? deploy.requestedAt, deploy.finishedAt)]);
  if (deploy.error) rows.push(["Error", escapeMarkdown(deploy.error)]);
  return ["| | |", "|---|---|", ...rows.map(([name, value]) => `| ${name} | ${value} |`)];
}

function stageRows(deploy: DeployView): string[] {
  if (deploy.stages.length === 0) return [];
  return [
    "| Stage | State | Started | Finished | Duration |",
    "|---|---|---|---|---|",
    ...deploy.stages.map(
      (s) =>
        `| ${escapeMarkdown(s.name)} | ${STATE_ICON[s.state] ?? "•"} ${escapeMarkdown(s.state)} | ${clock(s.startedAt)} | ${clock(s.finishedAt)} | ${took(s.startedAt, s.finishedAt)} |`,
    ),
  ];
}

/** The job summary: what happened, the deploy's details and links, and a table of its stages. */
export function renderSummary(report: ActionReport, links: SummaryLinks = {}): string {
  const parts = [`### ${title(report)}`, ""];
  // One line each (a diff, a status): markdown's hard breaks keep them apart.
  if (report.message) parts.push(report.message.split(/\r?\n/).map(escapeMarkdown).join("  \n"), "");
  if (report.reasonCode) parts.push(`Reason code: ${code(report.reasonCode)}`, "");
  if (report.deploy) {
    parts.push(...detailRows(report.deploy, links), "");
    const stages = stageRows(report.deploy);
    if (stages.length) parts.push(...stages, "");
  }
  return parts.join("\n");
}
