import { unlistedPulls } from "../core/changes/describe-change-set.js";
import type { DeployView } from "../core/commands/command-result.js";
import { heldText, verificationLeft } from "../core/model/verification-text.js";

type Stage = DeployView["stages"][number];

export interface ViewContext {
  readonly now: Date;
  /** ANSI colours (a terminal without NO_COLOR). */
  readonly color: boolean;
  /** Spinner frame counter; advances on every redraw. */
  readonly frame?: number;
}

const FINAL = new Set(["succeeded", "failed", "cancelled"]);
export const isFinalView = (view: DeployView): boolean => FINAL.has(view.state);

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const BAR_WIDTH = 20;

const STAGE_SYMBOL: Readonly<Record<string, string>> = {
  succeeded: "✓",
  running: "●",
  waiting: "○",
  failed: "✗",
  cancelled: "✗",
  skipped: "—",
};

const STAGE_WORD: Readonly<Record<string, string>> = {
  succeeded: "done",
  running: "running",
  waiting: "waiting",
  failed: "failed",
  cancelled: "cancelled",
  skipped: "skipped",
};

const COLORS = { green: 32, red: 31, cyan: 36, yellow: 33, dim: 2, bold: 1 } as const;
type Color = keyof typeof COLORS;

const STAGE_COLOR: Readonly<Record<string, Color>> = { succeeded: "green", running: "cyan", waiting: "dim", failed: "red", cancelled: "red", skipped: "dim" };

export function paint(text: string, color: Color, on: boolean): string {
  return on ? `\u001b[${COLORS[color]}m${text}\u001b[0m` : text;
}

/** 4s, 1m12s, 1h03m. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

const between = (from: string | undefined, to: string | undefined | Date): number | undefined => {
  if (!from || !to) return undefined;
  const end = to instanceof Date ? to.getTime() : Date.parse(to);
  const start = Date.parse(from);
  return Number.isNaN(start) || Number.isNaN(end) ? undefined : end - start;
};

/** `donations → staging  a1b2c3d  by sandbox  (deploy d-…)` */
export function headline(view: DeployView): string {
  const what = view.rollbackOf ? `rollback ${view.id} of ${view.rollbackOf}` : `deploy ${view.id}`;
  return `${view.service} → ${view.env}  ${view.sha.slice(0, 7)}  by ${view.actor}  (${what})`;
}

/** Queue position, the reason it waits, or the approvals it waits for; undefined once it runs. */
export function queueLine(view: DeployView): string | undefined {
  if (view.state === "awaiting_approval" && view.approval) {
    const { required, approvedBy } = view.approval;
    return `◷ awaiting approval — ${approvedBy.length} of ${required}${approvedBy.length ? ` (${approvedBy.map(printable).join(", ")})` : ""}, until ${view.approval.expiresAt}; approvers run "whistlestop approve ${view.id}"`;
  }
  if (view.state !== "queued") return undefined;
  if (view.waitingReason) return `◷ waiting — ${view.waitingReason}`;
  return view.queuePosition !== undefined ? `◷ queued — position ${view.queuePosition} in line` : "◷ queued";
}

/** While its alarms are watched: `🔎 verifying, 7 min left — watching HighErrorRate`, and a problem reading them. */
export function verificationLines(view: DeployView, now: Date): string[] {
  const v = view.verification;
  if (!v) return [];
  const lines = view.state === "verifying" ? [`🔎 ${verificationLeft(v, now)} — watching ${v.alarms.map(printable).join(", ")}`] : [];
  if (view.state === "verifying" && v.holding?.length) lines.push(`⏳ ${printable(heldText(v.holding))}`);
  if (v.problem) lines.push(`⚠ ${printable(v.problem)}`);
  return lines;
}

/** One stage on a terminal: symbol, padded name, then duration, spinner or state. */
export function stageLine(stage: Stage, ctx: ViewContext, nameWidth = stage.name.length): string {
  const symbol = paint(STAGE_SYMBOL[stage.state] ?? "?", STAGE_COLOR[stage.state] ?? "dim", ctx.color);
  const name = stage.name.padEnd(nameWidth);
  let detail = "";
  if (stage.state === "running") {
    const elapsed = between(stage.startedAt, ctx.now);
    const spinner = SPINNER[(ctx.frame ?? 0) % SPINNER.length]!;
    detail = `${paint(spinner, "cyan", ctx.color)}${elapsed !== undefined ? ` ${formatDuration(elapsed)}` : ""}`;
  } else if (stage.state === "succeeded") {
    const took = between(stage.startedAt, stage.finishedAt);
    detail = took !== undefined ? formatDuration(took) : "";
  } else if (stage.state !== "waiting") {
    const took = between(stage.startedAt, stage.finishedAt);
    detail = `${STAGE_WORD[stage.state] ?? stage.state}${took !== undefined ? ` after ${formatDuration(took)}` : ""}`;
  }
  return `  ${symbol} ${name}${detail ? `  ${detail}` : ""}`.trimEnd();
}

/** `━━━━━━━━━━──────────  2/4 stages  1m05s` while the pipeline runs. */
export function progressBar(view: DeployView, ctx: ViewContext): string {
  const total = view.stages.length;
  const done = view.stages.filter((s) => s.state === "succeeded" || s.state === "skipped").length;
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  const bar = paint("━".repeat(filled), "green", ctx.color) + paint("─".repeat(BAR_WIDTH - filled), "dim", ctx.color);
  const elapsed = between(view.startedAt, ctx.now);
  return `  ${bar}  ${done}/${total} stages${elapsed !== undefined ? `  ${formatDuration(elapsed)}` : ""}`;
}

/** `✔ succeeded in 1m12s — artifact ami-…`, or `✘ failed: <error>` and the execution URL. */
export function finalLines(view: DeployView, ctx: Pick<ViewContext, "color">, note?: string): string[] {
  const took = between(view.startedAt ?? view.requestedAt, view.finishedAt);
  const duration = took !== undefined ? ` in ${formatDuration(took)}` : "";
  if (view.state === "succeeded") {
    return [paint(`✔ succeeded${duration}${view.artifact ? ` — artifact ${view.artifact}` : ""}`, "green", ctx.color)];
  }
  if (view.state !== "failed" && view.state !== "cancelled") return [];
  const why = view.error ?? note;
  const summary = view.state === "failed" ? `✘ failed: ${why ?? "the pipeline failed"}` : `✘ cancelled${why ? `: ${why}` : ""}`;
  const lines = [paint(summary, "red", ctx.color)];
  const alarm = view.state === "failed" && view.reasonCode?.startsWith("alarm:") ? view.reasonCode.slice("alarm:".length) : undefined;
  // The pipeline succeeded before an alarm failed the deploy: its link would explain nothing.
  if (alarm) lines.push(...alarmLines(view, printable(alarm)));
  else if (view.executionUrl) lines.push(`  pipeline: ${view.executionUrl}`);
  return lines;
}

/** Why an alarm failed a deploy whose pipeline succeeded, and where its automatic rollback is. */
function alarmLines(view: DeployView, alarm: string): string[] {
  const how = view.verification?.heldToEnd ? "was still in ALARM when verification ended (since before this deploy)" : "went into ALARM while the release was verified";
  const lines = [`  alarm ${alarm} ${how}`];
  if (view.autoRollbackId) lines.push(`  rolling back automatically: deploy ${view.autoRollbackId} (whistlestop status ${view.autoRollbackId} --follow)`);
  else if (view.verification?.onAlarm === "rollback" && !view.rollbackOf) lines.push(`  an automatic rollback follows: whistlestop deploys ${view.service} ${view.env}`);
  return lines;
}

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

/** Text others wrote (PR titles) as one plain line: no escape sequences, no reordering of the line. */
const printable = (text: string): string => text.replace(UNPRINTABLE, " ");

/**
 * What the deploy ships (or a rollback takes out): the sentence, the merged PRs, how many more,
 * and the compare page. Nothing until the server has worked it out.
 */
export function changeSetLines(view: DeployView, ctx: Pick<ViewContext, "color">): string[] {
  const changeSet = view.changeSet;
  if (!changeSet) return [];
  const label = changeSet.direction === "takes_out" ? "takes out" : "changes";
  const lines = [`  ${paint(label, "bold", ctx.color)}  ${printable(changeSet.summary)}`];
  for (const pull of changeSet.pulls) {
    lines.push(`    ${paint(`#${pull.number}`, "cyan", ctx.color)} ${printable(pull.title)}${pull.author ? paint(` — ${printable(pull.author)}`, "dim", ctx.color) : ""}`);
  }
  const more = unlistedPulls(changeSet);
  if (more > 0) lines.push(paint(`    …and ${more} more merged PR${more === 1 ? "" : "s"}`, "dim", ctx.color));
  if (changeSet.compareUrl) lines.push(`    ${printable(changeSet.compareUrl)}`);
  return lines;
}

/** The whole live view for a terminal, redrawn in place. */
export function renderFrame(view: DeployView, ctx: ViewContext, note?: string): string[] {
  const lines = [paint(headline(view), "bold", ctx.color)];
  lines.push(...changeSetLines(view, ctx));
  const queued = queueLine(view);
  if (queued) lines.push(`  ${paint(queued, "yellow", ctx.color)}`);
  const nameWidth = Math.max(0, ...view.stages.map((s) => s.name.length));
  for (const stage of view.stages) lines.push(stageLine(stage, ctx, nameWidth));
  if (view.state === "running" && view.stages.length > 0) lines.push(progressBar(view, ctx));
  for (const line of verificationLines(view, ctx.now)) lines.push(`  ${paint(line, line.startsWith("⚠") ? "yellow" : "cyan", ctx.color)}`);
  lines.push(...finalLines(view, ctx, note));
  return lines;
}

/** One line for a stage that changed, for logs: `✓ Bake done (3m02s)`. */
function stageChangeLine(stage: Stage): string {
  const took = between(stage.startedAt, stage.finishedAt);
  const word = STAGE_WORD[stage.state] ?? stage.state;
  return `${STAGE_SYMBOL[stage.state] ?? "?"} ${stage.name} ${word}${took !== undefined && stage.state !== "running" ? ` (${formatDuration(took)})` : ""}`;
}

/**
 * What changed between two views, one line per change, for pipes and CI logs (no colours, no
 * cursor movement). The first view prints the headline and whatever has already happened.
 */
export function describeChanges(previous: DeployView | undefined, next: DeployView, note?: string, now = new Date()): string[] {
  const lines: string[] = [];
  if (!previous) lines.push(headline(next));
  if (next.changeSet && !previous?.changeSet) lines.push(...changeSetLines(next, { color: false }).map((line) => line.slice(2)));
  const queued = queueLine(next);
  if (queued && queued !== (previous ? queueLine(previous) : undefined)) lines.push(queued);
  if (next.state === "running" && previous?.state !== "running") lines.push("▶ started");
  const before = new Map((previous?.stages ?? []).map((s) => [s.name, s.state]));
  for (const stage of next.stages) {
    const was = before.get(stage.name);
    if (was === stage.state || (was === undefined && stage.state === "waiting")) continue;
    lines.push(stageChangeLine(stage));
  }
  const shown = new Set(previous ? verificationLines(previous, now) : []);
  for (const line of verificationLines(next, now)) if (!shown.has(line)) lines.push(line);
  if (isFinalView(next) && previous?.state !== next.state) lines.push(...finalLines(next, { color: false }, note));
  return lines;
}

// eslint-disable-next-line no-control-regex -- matching terminal escape sequences is the point
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/y;

/** Cuts a line to `width` visible characters so a redraw never wraps (wrapped lines break cursor math). */
export function fitWidth(line: string, width: number): string {
  if (width <= 0) return line;
  let out = "";
  let visible = 0;
  let colored = false;
  for (let i = 0; i < line.length; ) {
    ANSI.lastIndex = i;
    const escape = ANSI.exec(line);
    if (escape) {
      out += escape[0];
      colored = true;
      i += escape[0].length;
      continue;
    }
    const char = String.fromCodePoint(line.codePointAt(i)!);
    if (visible === width) return out + (colored ? "\u001b[0m" : "");
    out += char;
    visible++;
    i += char.length;
  }
  return out;
}

/** Moves the cursor up over the previous frame, clears it and writes the new one. */
export function redraw(previousLineCount: number, lines: readonly string[], width?: number): string {
  const body = lines.map((line) => (width ? fitWidth(line, width - 1) : line)).join("\n");
  const back = previousLineCount > 0 ? `\u001b[${previousLineCount}F\u001b[J` : "";
  return `${back}${body}\n`;
}
