import type { ApiCommandResult } from "../core/commands/api-command-result.js";
import type { DeployView } from "../core/commands/command-result.js";
import { describeApiFailure, type ApiClient, type ApiFailure } from "./api-client.js";
import { askYesNo } from "./ask-yes-no.js";
import type { CliIo, CliTiming } from "./cli-io.js";
import { ExitCode } from "./exit-codes.js";
import { followDeploy } from "./follow-deploy.js";
import type { ClientVerb, CliFlags } from "./parse-cli-args.js";
import { ProgressPrinter, type ProgressMode } from "./progress-printer.js";
import { isFinalView, renderFrame } from "./progress-view.js";

export interface ClientContext {
  readonly io: CliIo;
  readonly api: Pick<ApiClient, "postCommand" | "getDeploy" | "getAudit" | "openEvents" | "server">;
  readonly flags: CliFlags;
  readonly timing: CliTiming;
  readonly now: () => Date;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Aborts on Ctrl-C. */
  readonly signal: AbortSignal;
}

const ACTIVE = new Set(["started", "queued", "waiting"]);
const CONFIRMABLE = new Set<ClientVerb>(["deploy", "rollback"]);

const isTerminal = (io: CliIo): boolean => Boolean(io.stdout.isTTY) && io.env.TERM !== "dumb";
const useColor = (io: CliIo): boolean => isTerminal(io) && !io.env.NO_COLOR;
const progressMode = (ctx: ClientContext): ProgressMode => (ctx.flags.json ? "json" : isTerminal(ctx.io) ? "tty" : "plain");

const exitForDeploy = (deploy: DeployView): number =>
  deploy.state === "failed" || deploy.state === "cancelled" ? ExitCode.deployFailed : ExitCode.ok;

function failed(ctx: ClientContext, failure: ApiFailure): number {
  if (failure.kind === "aborted") return ExitCode.interrupted;
  ctx.io.stderr.write(`${describeApiFailure(failure)}\n`);
  return ExitCode.usageOrConnection;
}

/** "donations/prod asks for confirmation before a deploy of a1b2c3d. Deploy?" */
function confirmationQuestion(message: string, verb: ClientVerb): string {
  const asked = message.replace(/\s*Run it again with --yes[^.]*\.?\s*$/i, "").trim();
  return `${asked} ${verb === "rollback" ? "Roll back?" : "Deploy?"}`;
}

/** deploy, rollback, lock, …: send the text, ask for confirmation on a terminal, then follow what started. */
export async function runClientCommand(verb: ClientVerb, text: string, ctx: ClientContext): Promise<number> {
  const { io, api, signal } = ctx;
  let answer = await api.postCommand(text, signal);
  if (!answer.ok) return failed(ctx, answer.failure);
  let result = answer.value;

  const interactive = Boolean(io.stdin.isTTY) && Boolean(io.stdout.isTTY);
  if (result.outcome === "refused" && result.reasonCode === "confirmation_required" && CONFIRMABLE.has(verb) && interactive) {
    const prompt = ctx.flags.json ? io.stderr : io.stdout;
    const reply = await askYesNo(confirmationQuestion(result.message, verb), io.stdin, prompt, signal);
    if (reply === "interrupted") return ExitCode.interrupted;
    if (reply === "no") {
      io.stderr.write(`Nothing was ${verb === "rollback" ? "rolled back" : "deployed"}.\n`);
      return ExitCode.refused;
    }
    answer = await api.postCommand(`${text} --yes`, signal);
    if (!answer.ok) return failed(ctx, answer.failure);
    result = answer.value;
  }

  printResult(ctx, result);
  const parts = result.results?.length ? result.results : [result];
  let exitCode: number = ExitCode.ok;
  for (const part of parts) {
    const code = await settle(ctx, part);
    if (code === ExitCode.interrupted) return code;
    exitCode = Math.max(exitCode, code);
  }
  return exitCode;
}

function printResult(ctx: ClientContext, result: ApiCommandResult): void {
  const { stdout, stderr } = ctx.io;
  if (ctx.flags.json) return void stdout.write(`${JSON.stringify(result)}\n`);
  const printOne = (part: ApiCommandResult) => {
    if (part.outcome === "refused") stderr.write(`Refused (${part.reasonCode ?? "refused"}): ${part.message}\n`);
    else if (part.message) stdout.write(`${part.message}\n`);
  };
  if (!result.results?.length) return printOne(result);
  if (result.message) stdout.write(`${result.message}\n`);
  result.results.forEach(printOne);
}

/** The exit code of one decided command, following its deploy when it started or waits. */
async function settle(ctx: ClientContext, result: ApiCommandResult): Promise<number> {
  if (result.outcome === "refused") return ExitCode.refused;
  if (!ACTIVE.has(result.outcome) || !result.deploy || !ctx.flags.follow) return ExitCode.ok;
  return follow(ctx, result.deploy);
}

/** Streams a deploy's progress to its end, starting from the view the caller already has. */
async function follow(ctx: ClientContext, initial: DeployView): Promise<number> {
  const { io } = ctx;
  const mode = progressMode(ctx);
  const printer = new ProgressPrinter({ out: io.stdout, err: io.stderr, mode, color: useColor(io), now: ctx.now, tickMs: ctx.timing.tickMs });
  // In JSON the caller already printed `initial` (inside the command result, or as the status line).
  if (mode !== "json") printer.update({ type: "snapshot", deploy: initial });
  if (isFinalView(initial)) return exitForDeploy(initial);
  try {
    const outcome = await followDeploy({
      api: ctx.api,
      deployId: initial.id,
      onUpdate: (update) => printer.update(update),
      onNotice: (text) => printer.notice(text),
      signal: ctx.signal,
      sleep: ctx.sleep,
      timing: ctx.timing,
    });
    printer.stop();
    const again = `Follow it again with "whistlestop status ${initial.id} --follow".`;
    switch (outcome.kind) {
      case "final":
        return exitForDeploy(outcome.deploy);
      case "interrupted":
        io.stderr.write(`\nStopped following deploy ${initial.id}; it goes on without this terminal. ${again}\n`);
        return ExitCode.interrupted;
      case "lost":
        io.stderr.write(`${describeApiFailure(outcome.failure)}\nLost track of deploy ${initial.id}; it goes on on the server. ${again}\n`);
        return ExitCode.usageOrConnection;
    }
  } finally {
    printer.stop();
  }
}

/** `whistlestop status <id> [--follow]`. */
export async function runStatus(deployId: string, ctx: ClientContext): Promise<number> {
  const answer = await ctx.api.getDeploy(deployId, ctx.signal);
  if (!answer.ok) return failed(ctx, answer.failure);
  const view = answer.value;
  if (ctx.flags.json) ctx.io.stdout.write(`${JSON.stringify(view)}\n`);
  if (ctx.flags.follow && !isFinalView(view)) return follow(ctx, view);
  if (!ctx.flags.json) {
    for (const line of renderFrame(view, { now: ctx.now(), color: useColor(ctx.io) })) ctx.io.stdout.write(`${line}\n`);
  }
  return exitForDeploy(view);
}

