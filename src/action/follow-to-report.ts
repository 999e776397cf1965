import type { ApiClient } from "../cli/api-client.js";
import { followDeploy } from "../cli/follow-deploy.js";
import { describeChanges, formatDuration } from "../cli/progress-view.js";
import type { DeployView } from "../core/commands/command-result.js";
import { describeFailure } from "./action-api.js";
import type { ActionInputs } from "./action-inputs.js";
import type { ActionReport } from "./action-report.js";
import type { WorkflowLog } from "./workflow-log.js";

export interface FollowTiming {
  readonly reconnectDelaysMs: readonly number[];
  readonly pollMs: number;
  readonly maxPollFailures: number;
  readonly idleTimeoutMs: number;
}

export interface FollowToReportOptions {
  readonly api: Pick<ApiClient, "openEvents" | "getDeploy" | "server">;
  readonly inputs: ActionInputs;
  readonly deploy: DeployView;
  readonly log: WorkflowLog;
  /** The job was cancelled: stop following (the deploy goes on). */
  readonly cancelled: AbortSignal;
  readonly timing: FollowTiming;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** `Deploy d-1 of donations/staging at a1b2c3d succeeded.` */
export function finalMessage(deploy: DeployView): string {
  const what = `${deploy.rollbackOf ? "Rollback" : "Deploy"} ${deploy.id} of ${deploy.service}/${deploy.env} at ${deploy.sha.slice(0, 7)}`;
  if (deploy.state === "succeeded") return `${what} succeeded${deploy.artifact ? ` (artifact ${deploy.artifact})` : ""}.`;
  if (deploy.state === "failed") return `${what} failed: ${deploy.error ?? "the pipeline failed"}.${deploy.executionUrl ? ` Pipeline: ${deploy.executionUrl}` : ""}`;
  if (deploy.state === "cancelled") return `${what} was cancelled${deploy.error ? `: ${deploy.error}` : ""}.`;
  return `${what} is ${deploy.state}.`;
}

/** The report of a deploy that was not followed, or that already ended. */
export function reportOfDeploy(inputs: ActionInputs, deploy: DeployView, message = finalMessage(deploy)): ActionReport {
  const passed = deploy.state !== "failed" && deploy.state !== "cancelled";
  return { command: inputs.command, service: inputs.service, environment: inputs.environment, passed, state: deploy.state, message, deploy };
}

/**
 * Follows the deploy to its end (event stream, polling when the stream cannot be had), printing
 * a line per change, and turns the outcome into the step's report. A timeout or a cancelled job
 * fails the step but leaves the deploy running: stopping it is a decision for a person.
 */
export async function followToReport(options: FollowToReportOptions): Promise<ActionReport> {
  const { inputs, log } = options;
  const id = options.deploy.id;
  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, inputs.timeoutMs);
  const onCancel = () => stop.abort();
  options.cancelled.addEventListener("abort", onCancel, { once: true });
  if (options.cancelled.aborted) stop.abort();

  log.info(`Following deploy ${id} until it ends (timeout ${formatDuration(inputs.timeoutMs)}).`);
  let previous: DeployView | undefined;
  try {
    const result = await followDeploy({
      api: options.api,
      deployId: id,
      onUpdate: (update) => {
        for (const line of describeChanges(previous, update.deploy, update.note)) log.info(line);
        previous = update.deploy;
      },
      onNotice: (text) => log.info(text),
      signal: stop.signal,
      sleep: options.sleep,
      timing: options.timing,
    });
    if (result.kind === "final") return reportOfDeploy(inputs, result.deploy);
    const last = result.deploy ?? previous ?? options.deploy;
    const goesOn = `It goes on on the server; follow it with \`whistlestop deploys ${inputs.service} ${inputs.environment}\`, or stop it with the command \`cancel\`.`;
    if (result.kind === "interrupted") {
      const why = timedOut ? `is still ${last.state} after the timeout of ${formatDuration(inputs.timeoutMs)}` : `was being followed when the job was cancelled`;
      return { ...reportOfDeploy(inputs, last, `Deploy ${id} ${why}. ${goesOn}`), passed: false };
    }
    return { ...reportOfDeploy(inputs, last, `Lost track of deploy ${id}: ${describeFailure(result.failure)} ${goesOn}`), passed: false };
  } finally {
    clearTimeout(timer);
    options.cancelled.removeEventListener("abort", onCancel);
  }
}
