import type { Actor } from "../model/actor.js";
import type { Target, WhistlestopConfig } from "../model/config.js";
import type { Lock } from "../model/lock.js";
import { resolveTarget } from "../model/resolve-target.js";
import { externalDeployPolicy } from "../policies/external-deploy-policy.js";

/** A GitHub Actions job asks to deploy to a GitHub environment of a repository. */
export interface ProtectionRuleRequest {
  readonly repo: string;
  readonly githubEnvironment: string;
  /** Who started the run, when GitHub says: a lock's owner may still deploy through it. */
  readonly actor?: Actor;
}

/** Why a review came out as it did, for the audit log. */
export type ReviewBasis = "clear" | "locked" | "window_closed" | "unknown_repository" | "unmapped_environment" | "store_unavailable";

export interface ProtectionRuleReview {
  readonly state: "approved" | "rejected";
  /** Shown next to the decision on GitHub. */
  readonly comment: string;
  readonly basis: ReviewBasis;
  /**
   * What the review is about, for the audit log: the (service, env) pairs the GitHub environment
   * maps to, or when unmapped the repository's services alone (none for an unknown repository).
   */
  readonly targets: ReadonlyArray<{ readonly service: string; readonly env?: string }>;
}

/** GitHub shows the comment next to the decision; keep it readable there. */
const MAX_COMMENT = 1000;

/**
 * The (service, env) pairs a GitHub environment of `repo` stands for: each service whose repo it
 * is, with the environment whose `github_environment` (default: its own name) matches, without
 * regard to case as on GitHub.
 */
export function mapGitHubEnvironment(config: WhistlestopConfig, repo: string, githubEnvironment: string): { services: string[]; targets: Target[] } {
  const wanted = githubEnvironment.toLowerCase();
  const services = Object.keys(config.services).filter((name) => config.services[name]!.repo.toLowerCase() === repo.toLowerCase());
  const targets = services.flatMap((service) =>
    Object.keys(config.environments)
      .map((env) => resolveTarget(config, service, env)!)
      .filter((target) => (target.githubEnvironment ?? target.env).toLowerCase() === wanted),
  );
  return { services, targets };
}

/**
 * The answer to a deployment protection rule. Fail closed: a repository or a GitHub environment
 * Whistlestop cannot map is rejected with a comment saying how to map it (someone enabled the rule
 * expecting locks and windows to apply), and so is any run while a lock or a deny window covers a
 * mapped target. `locks` is undefined when the store could not be read.
 */
export function reviewProtectionRule(config: WhistlestopConfig, request: ProtectionRuleRequest, now: Date, locks: readonly Lock[] | undefined): ProtectionRuleReview {
  const { repo, githubEnvironment } = request;
  const { services, targets } = mapGitHubEnvironment(config, repo, githubEnvironment);
  if (services.length === 0) {
    return rejected("unknown_repository", [], `Whistlestop rejected this deployment: no service in whistlestop.yml has repo: ${repo}, so Whistlestop cannot check its locks and windows. Add the service to whistlestop.yml, or remove Whistlestop from the deployment protection rules of ${githubEnvironment}.`);
  }
  if (targets.length === 0) {
    const envs = Object.keys(config.environments);
    const example = envs.includes("prod") ? "prod" : (envs[0] ?? "<env>");
    return rejected(
      "unmapped_environment",
      services.map((service) => ({ service })),
      `Whistlestop rejected this deployment: the GitHub environment "${githubEnvironment}" maps to none of its environments (${envs.join(", ")}). ` +
        `Map it in whistlestop.yml with github_environment: "${githubEnvironment}" under environments.${example} (or under services.${services[0]}.environments.${example} for one service), ` +
        `or rename the GitHub environment to match. Then re-run the job.`,
    );
  }
  const pairs = targets.map(({ service, env }) => ({ service, env }));
  if (!locks) {
    return rejected("store_unavailable", pairs, "Whistlestop could not read its locks, so it cannot approve this deployment. Re-run the job in a minute.");
  }
  const refusals = targets.flatMap((target) => {
    const decision = externalDeployPolicy({ now, config, target, locks, ...(request.actor ? { actor: request.actor } : {}) });
    return decision.allowed ? [] : [decision];
  });
  if (refusals.length === 0) {
    const where = targets.map((t) => `${t.service}/${t.env}`).join(", ");
    return { state: "approved", basis: "clear", targets: pairs, comment: `Whistlestop: ${where} is not locked and no critical window is open.` };
  }
  const basis = refusals.some((d) => d.reasonCode === "locked") ? "locked" : "window_closed";
  return rejected(basis, pairs, `Whistlestop rejected this deployment: ${refusals.map((d) => d.message).join(" ")}`);
}

function rejected(basis: ReviewBasis, targets: ProtectionRuleReview["targets"], comment: string): ProtectionRuleReview {
  return { state: "rejected", basis, targets, comment: comment.length <= MAX_COMMENT ? comment : `${comment.slice(0, MAX_COMMENT - 1)}…` };
}
