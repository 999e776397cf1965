import { quoteWord } from "../cli/command-text.js";
import type { ActionInputs } from "./action-inputs.js";

export type CommandTextResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/**
 * The command the server runs for these inputs, in the command grammar of docs/commands.md. Deploys and rollbacks carry --yes: the
 * workflow that runs the step is the confirmation. `check` is the deploy it asks about; `diff`
 * what that deploy would ship; `status` names the service alone. `githubSha` is the default ref
 * of deploy, check and diff; a rollback without a ref goes to the
 * release live before the current one.
 */
export function buildCommandText(inputs: ActionInputs, githubSha: string | undefined): CommandTextResult {
  const { command, service, environment } = inputs;
  if (command === "approve" || command === "reject") return approvalText(inputs);
  if (command === "status") return { ok: true, text: `status ${service}` };
  const words = [command === "check" ? "deploy" : command, service, environment];
  // A diff asks what the deploy of this step would ship: the same ref.
  const takesRef = command === "deploy" || command === "check" || command === "diff";
  const ref = inputs.ref ?? (takesRef ? githubSha?.trim() || undefined : undefined);
  if (ref && takesRef) words.push(ref);
  if (ref && command === "rollback") words.push("to", ref);
  if (command === "deploy" || command === "rollback") words.push("--yes");
  const takesReason = command === "deploy" || command === "rollback" || command === "lock";
  if (inputs.reason && takesReason) {
    // Always quoted: a reason that starts with "--" or "for 2h" must stay text.
    const quoted = quoteWord(inputs.reason, true);
    if (quoted === undefined) return { ok: false, message: `Input "reason" mixes both kinds of quotes before spaces; rephrase it without one kind of quote.` };
    words.push("--reason", quoted);
  }
  return { ok: true, text: words.join(" ") };
}

/** `approve <id>`, `reject <id> --reason "…"`: the deploy is named by its id alone. */
function approvalText(inputs: ActionInputs): CommandTextResult {
  const words = [inputs.command, inputs.deployId ?? ""];
  if (inputs.command === "reject" && inputs.reason) {
    const quoted = quoteWord(inputs.reason, true);
    if (quoted === undefined) return { ok: false, message: `Input "reason" mixes both kinds of quotes before spaces; rephrase it without one kind of quote.` };
    words.push("--reason", quoted);
  }
  return { ok: true, text: words.join(" ") };
}
