import { createHash, randomUUID } from "node:crypto";
import { ApiClient } from "../cli/api-client.js";
import { ActionApi, describeFailure, type ActionResult } from "./action-api.js";
import { readActionInputs, readInput, type ActionInputs } from "./action-inputs.js";
import { renderSummary, reportOutputs, whereOf, type ActionReport } from "./action-report.js";
import { buildCommandText } from "./build-command-text.js";
import { followToReport, reportOfDeploy, type FollowTiming } from "./follow-to-report.js";
import { appendOutputs, appendSummary } from "./runner-files.js";
import { WorkflowLog } from "./workflow-log.js";

export interface ActionTiming extends FollowTiming {
  readonly requestTimeoutMs: number;
  readonly retryDelaysMs: readonly number[];
}

export const DEFAULT_ACTION_TIMING: ActionTiming = {
  requestTimeoutMs: 30_000,
  retryDelaysMs: [2_000, 5_000, 10_000],
  reconnectDelaysMs: [1_000, 2_000, 4_000, 8_000],
  pollMs: 5_000,
  maxPollFailures: 12,
  idleTimeoutMs: 45_000,
};

/** What the action touches outside itself, so tests can run it in-process too. */
export interface ActionIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly write: (text: string) => void;
  readonly fetch: typeof fetch;
  /** Aborts when the job is cancelled (the runner sends SIGINT). */
  readonly cancelled: AbortSignal;
  readonly timing?: Partial<ActionTiming>;
}

const READS: ReadonlySet<ActionInputs["command"]> = new Set(["check", "diff", "status"]);

const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;
const MAX_KEY = 200;

/**
 * One key per (run, attempt, command, service, env): a retried request, or the step run again in
 * the same attempt, is recognised by the server and starts nothing new. "Re-run jobs" is a new
 * attempt, so it deploys again, as the person who clicked it expects.
 */
export function idempotencyKey(inputs: ActionInputs, env: Readonly<Record<string, string | undefined>>): string {
  const run = env.GITHUB_RUN_ID?.trim();
  const base = run ? `${run}-${env.GITHUB_RUN_ATTEMPT?.trim() || "1"}` : `local-${randomUUID()}`;
  const key = `${base}-${inputs.command}-${inputs.deployId ?? `${inputs.service}-${inputs.environment}`}`;
  return key.length <= MAX_KEY ? key : `gha-${createHash("sha256").update(key).digest("hex")}`;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

/** Runs the action; returns the process exit code (1 fails the step). */
export async function runAction(io: ActionIo): Promise<number> {
  const log = new WorkflowLog(io.write);
  // Masked before anything else is printed, even when other inputs are wrong.
  log.mask(readInput(io.env, "token"));
  const parsed = readActionInputs(io.env);
  if (!parsed.ok) {
    log.error(parsed.message, "Whistlestop: invalid inputs");
    return 1;
  }
  const inputs = parsed.inputs;
  const text = buildCommandText(inputs, io.env.GITHUB_SHA);
  if (!text.ok) {
    log.error(text.message, "Whistlestop: invalid inputs");
    return 1;
  }
  const report = await perform(inputs, text.text, io, log);
  return finish(report, io, log);
}

async function perform(inputs: ActionInputs, text: string, io: ActionIo, log: WorkflowLog): Promise<ActionReport> {
  const timing = { ...DEFAULT_ACTION_TIMING, ...io.timing };
  const api = new ActionApi({ server: inputs.serverUrl, token: inputs.token, fetch: io.fetch, requestTimeoutMs: timing.requestTimeoutMs, retryDelaysMs: timing.retryDelaysMs, sleep });
  const actor = io.env.GITHUB_ACTOR?.trim();
  const body = { text, ...(actor && GITHUB_LOGIN.test(actor) ? { githubActor: actor } : {}) };
  const base = { command: inputs.command, service: inputs.service, environment: inputs.environment };
  const what = inputs.deployId ? `${inputs.command} ${inputs.deployId}` : `${inputs.command} ${inputs.service} ${inputs.environment}`;

  log.group(`Whistlestop ${what}`.trim());
  log.info(`Server:  ${inputs.serverUrl}`);
  log.info(`Command: ${text}`);
  // Reads change nothing, so a repeat is harmless and needs no key.
  const key = READS.has(inputs.command) ? undefined : idempotencyKey(inputs, io.env);
  if (key) log.info(`Idempotency-Key: ${key}`);
  log.endGroup();

  const answer = await api.post(inputs.command === "check" ? "/api/v1/check" : "/api/v1/commands", body, key);
  if (!answer.ok) return { ...base, passed: false, state: "error", message: describeFailure(answer.failure) };
  const result = answer.result;
  log.info(result.message);

  if (inputs.command === "check") return checkReport(base, result);
  if (inputs.command === "diff" && result.diff) {
    const { sha, reasonCode } = result.diff;
    return { ...base, passed: true, state: "done", message: result.message, sha, ...(reasonCode ? { reasonCode } : {}) };
  }
  const reasonCode = result.reasonCode ? { reasonCode: result.reasonCode } : {};
  const deploy = result.deploy ? { deploy: result.deploy } : {};
  // approve and reject report on the deploy they answered.
  const where = result.deploy && !base.service ? { ...base, service: result.deploy.service, environment: result.deploy.env } : base;
  if (result.outcome === "refused") return { ...where, passed: false, state: "refused", message: result.message, ...reasonCode, ...deploy };
  // An approval that started the deploy is followed like a deploy: the workflow learns how it ended.
  const follows = inputs.command === "deploy" || inputs.command === "rollback" || (inputs.command === "approve" && result.outcome !== "done");
  if (!result.deploy || !follows) {
    return { ...where, passed: true, state: "done", message: result.message, ...deploy };
  }
  const followed = { ...inputs, service: where.service, environment: where.environment };
  if (!inputs.wait || ["succeeded", "failed", "cancelled"].includes(result.deploy.state)) return reportOfDeploy(followed, result.deploy, result.message);
  const client = new ApiClient({ server: inputs.serverUrl, token: inputs.token }, { fetch: io.fetch, requestTimeoutMs: timing.requestTimeoutMs });
  return followToReport({ api: client, inputs: followed, deploy: result.deploy, log, cancelled: io.cancelled, timing, sleep });
}

/** Blocked fails the step (fail closed: a forgotten `if:` must not deploy through a lock). */
function checkReport(base: Pick<ActionReport, "command" | "service" | "environment">, result: ActionResult): ActionReport {
  const deployable = result.deployable ?? result.outcome !== "refused";
  return {
    ...base,
    passed: deployable,
    state: deployable ? "deployable" : "blocked",
    message: result.message,
    ...(result.reasonCode ? { reasonCode: result.reasonCode } : {}),
  };
}

function finish(report: ActionReport, io: ActionIo, log: WorkflowLog): number {
  const outputs = reportOutputs(report);
  if (!appendOutputs(io.env.GITHUB_OUTPUT, outputs)) {
    for (const [name, value] of Object.entries(outputs)) log.info(`output ${name}=${value}`);
  }
  const server = io.env.GITHUB_SERVER_URL?.trim() || "https://github.com";
  const repository = io.env.GITHUB_REPOSITORY?.trim();
  appendSummary(io.env.GITHUB_STEP_SUMMARY, renderSummary(report, repository ? { repositoryUrl: `${server}/${repository}` } : {}));
  if (report.passed) {
    log.notice(report.message, `Whistlestop: ${whereOf(report)} ${report.state}`);
    return 0;
  }
  const title = `Whistlestop: ${whereOf(report)} ${report.state}${report.reasonCode ? ` (${report.reasonCode})` : ""}`;
  log.error(report.message, title);
  return 1;
}
