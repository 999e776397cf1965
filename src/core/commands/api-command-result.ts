import type { Lock } from "../model/lock.js";
import type { ReasonCode } from "../policies/decision.js";
import type { DeployView, DiffView, Outcome, StatusView, WindowView } from "./command-result.js";

/**
 * A command result as the HTTP API sends it (docs/commands.md, The command result) and the CLI and
 * the Action read it: one flat JSON object whatever the outcome, with no in-process fields.
 */
export interface ApiCommandResult {
  readonly outcome: Outcome;
  readonly reasonCode?: ReasonCode;
  readonly message: string;
  readonly deploy?: DeployView;
  readonly results?: readonly ApiCommandResult[];
  readonly deploys?: readonly DeployView[];
  readonly locks?: readonly Lock[];
  readonly windows?: readonly WindowView[];
  /** `diff`: what a deploy would ship and whether it would go now. */
  readonly diff?: DiffView;
  /** `status`: each environment of the service. */
  readonly serviceStatus?: StatusView;
  /** The text was not a command: the surface says nothing. */
  readonly ignored?: boolean;
}
