import type { ReasonCode } from "../policies/decision.js";
import type { DeployView, Listing, Outcome } from "./command-result.js";

/**
 * A command result as the HTTP API sends it (docs/commands.md, The command result) and the CLI and
 * the Action read it: one flat JSON object whatever the outcome, with no in-process fields.
 */
export interface ApiCommandResult extends Omit<Listing, "results"> {
  readonly outcome: Outcome;
  readonly reasonCode?: ReasonCode;
  readonly message: string;
  readonly deploy?: DeployView;
  readonly results?: readonly ApiCommandResult[];
  /** The text was not a command: the surface says nothing. */
  readonly ignored?: boolean;
}
