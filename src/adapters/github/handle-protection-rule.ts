import type { Actor } from "../../core/model/actor.js";
import type { ProtectionReview } from "./github-api.js";
import type { GitHubHandlerDeps } from "./github-handler-deps.js";
import type { ProtectionRulePayload } from "./webhook-payloads.js";

/**
 * `deployment_protection_rule.requested`: a GitHub Actions job wants to deploy to an environment.
 * The core decides (the same locks and windows Whistlestop's own deploys pass, and a rejection for
 * an environment it cannot map); this only reads the payload and posts the answer back to GitHub.
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
  const login = payload.deployment?.creator?.login ?? payload.sender?.login;
  const actor: Actor | undefined = login ? { surface: "github", name: login, login } : undefined;
  const decided = await deps.runner.reviewProtectionRule({ repo, githubEnvironment: environment, ...(actor ? { actor } : {}) });
  const review: ProtectionReview = { environment, state: decided.state, comment: decided.comment };
  await deps.api.reviewProtectionRule(repo, callbackUrl, review);
  return review;
}

function sameOrigin(url: string, base: string): boolean {
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
}
