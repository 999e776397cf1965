import type { Actor } from "../../core/model/actor.js";
import { resolveTarget } from "../../core/model/resolve-target.js";
import type { Decision } from "../../core/policies/decision.js";
import { externalDeployPolicy } from "../../core/policies/external-deploy-policy.js";
import type { ProtectionReview } from "./github-api.js";
import { servicesForRepo, type GitHubHandlerDeps } from "./github-handler-deps.js";
import type { ProtectionRulePayload } from "./webhook-payloads.js";

/** GitHub shows the comment next to the decision; keep it readable there. */
const MAX_COMMENT = 1000;

/**
 * `deployment_protection_rule.requested`: a GitHub Actions job wants to deploy to an environment.
 * Approve, or reject naming the lock or window, with the same policies Whistlestop's own deploys
 * pass — so locks and windows also stop deploys that workflows make. Environments Whistlestop does
 * not know are not its to govern and are approved with a note.
 */
export async function handleProtectionRule(deps: GitHubHandlerDeps, payload: ProtectionRulePayload): Promise<ProtectionReview | undefined> {
  const repo = payload.repository.full_name;
  const callbackUrl = payload.deployment_callback_url;
  const environment = payload.environment;
  if (!callbackUrl || !environment) return undefined;
  if (!sameOrigin(callbackUrl, deps.apiBaseUrl)) {
    // The installation token must only ever go to the GitHub API it belongs to.
    deps.logger.warn({ repo, environment }, "deployment_callback_url is not on the configured GitHub API; ignored");
    return undefined;
  }
  const review = await decide(deps, repo, environment, payload);
  await deps.api.reviewProtectionRule(repo, callbackUrl, review);
  return review;
}

async function decide(deps: GitHubHandlerDeps, repo: string, environment: string, payload: ProtectionRulePayload): Promise<ProtectionReview> {
  const env = Object.keys(deps.config.environments).find((name) => name.toLowerCase() === environment.toLowerCase());
  const services = servicesForRepo(deps.config, repo);
  if (!env || services.length === 0) {
    return { environment, state: "approved", comment: `Whistlestop does not manage ${environment} of ${repo}; nothing to check.` };
  }
  const login = payload.deployment?.creator?.login ?? payload.sender?.login;
  const actor: Actor | undefined = login ? { surface: "github", name: login, login } : undefined;
  let decisions: Array<{ service: string; decision: Decision }>;
  try {
    const now = deps.clock.now();
    const locks = await deps.store.listLocks(now);
    decisions = services.flatMap((service) => {
      const target = resolveTarget(deps.config, service, env);
      return target ? [{ service, decision: externalDeployPolicy({ now, config: deps.config, target, locks, ...(actor ? { actor } : {}) }) }] : [];
    });
  } catch (error) {
    // Fail closed: without the locks nobody can say the environment is open.
    deps.logger.error({ err: error, repo, environment }, "could not read locks for a deployment protection rule; rejecting");
    return { environment, state: "rejected", comment: "Whistlestop could not read its locks, so it cannot approve this deployment. Re-run the job in a minute." };
  }
  const refusals = decisions.flatMap(({ decision }) => (decision.allowed ? [] : [decision.message]));
  if (refusals.length === 0) {
    return { environment, state: "approved", comment: `Whistlestop: ${services.map((s) => `${s}/${env}`).join(", ")} is not locked and no critical window is open.` };
  }
  return { environment, state: "rejected", comment: clipComment(`Whistlestop rejected this deployment: ${refusals.join(" ")}`) };
}

function sameOrigin(url: string, base: string): boolean {
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

const clipComment = (text: string): string => (text.length <= MAX_COMMENT ? text : `${text.slice(0, MAX_COMMENT - 1)}…`);
