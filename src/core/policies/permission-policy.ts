import { apiClientName, type Actor } from "../model/actor.js";
import type { RepoPermission } from "../ports/source-control.js";
import { describeEntries, isAdmin, isListed } from "./access-list.js";
import { clientScopePolicy } from "./client-scope-policy.js";
import { allow, deny, type Decision } from "./decision.js";
import type { PermissionFacts } from "./policy-input.js";

export { isAdmin, isListed } from "./access-list.js";

const CAN_DEPLOY: ReadonlySet<RepoPermission> = new Set(["write", "maintain", "admin"]);

/** Said when nobody could tell whether the actor has write access. */
export const UNVERIFIED_DEFAULT = "GitHub did not say";

/**
 * The permission step: may this actor act on the target at all? `verb` only words the message
 * ("deploy", "roll back", "lock"). Fails closed: repository write access that cannot be verified
 * (no GitHub, a failed lookup) is never assumed; then only an explicit entry in the target's
 * `deployers` or in `admins` lets a person through. API clients are matched only as `api:<name>`
 * and never looked up on GitHub.
 */
export function permissionPolicy(facts: PermissionFacts, verb = "deploy"): Decision {
  const { config, target, actor, teams } = facts;
  if (actor.apiClient) return clientPermission(facts, verb);
  const admin = isAdmin(actor, config, teams);
  const listedDeployer = target.deployers.length > 0 && isListed(target.deployers, actor, teams);
  const explicit = admin || listedDeployer;

  if (!actor.login) {
    // Without a GitHub login nobody can check repo write; only an explicit entry vouches for the user.
    return explicit ? allow() : deny("permission_denied", unmappedMessage(facts));
  }
  if (facts.repoPermission === undefined) {
    if (!explicit) return deny("permission_denied", unverifiedMessage(facts, verb));
  } else if (!CAN_DEPLOY.has(facts.repoPermission)) {
    return deny(
      "permission_denied",
      `${actor.login} has ${facts.repoPermission} access to ${target.repo}; to ${verb} ${target.service}/${target.env} you need write access. ` +
        `Ask a maintainer of ${target.repo} for write access, or ask someone who has it to ${verb} for you.`,
    );
  }
  if (target.deployers.length > 0 && !explicit) return deny("permission_denied", notADeployerMessage(facts, verb));
  return allow();
}

/** Inside its scope a client passes where `deployers` is empty; elsewhere it must be listed as `api:<name>`. */
function clientPermission(facts: PermissionFacts, verb: string): Decision {
  const { config, target, actor, teams } = facts;
  // The verb itself was checked against `may` when the command arrived; here the target must be in scope.
  const scope = clientScopePolicy(config, actor, { service: target.service, env: target.env });
  if (!scope.allowed) return scope;
  if (target.deployers.length === 0 || isListed(target.deployers, actor, teams) || isAdmin(actor, config, teams)) return allow();
  return deny("permission_denied", notADeployerMessage(facts, verb));
}

function notADeployerMessage({ config, target, actor }: PermissionFacts, verb: string): string {
  const entry = actor.apiClient ? apiClientName(actor.apiClient) : displayName(actor);
  return (
    `${displayName(actor)} may not ${verb} ${target.service}/${target.env}: only its deployers (${describeEntries(target.deployers)}) ` +
    `and admins (${describeEntries(config.admins)}) may. Ask one of them to ${verb} for you, or ask an admin to add ${entry} to ` +
    `\`deployers\` of ${target.env} in whistlestop.yml.`
  );
}

function unverifiedMessage({ config, target, actor, unverifiedBecause }: PermissionFacts, verb: string): string {
  const where = target.deployers.length ? `\`deployers\` of ${target.env} (${describeEntries(target.deployers)})` : `\`deployers\` of ${target.env}`;
  return (
    `Whistlestop cannot verify that ${actor.login} has write access to ${target.repo} (${unverifiedBecause ?? UNVERIFIED_DEFAULT}), ` +
    `so only people named in ${where} or in \`admins\` (${describeEntries(config.admins)}) may ${verb} ${target.service}/${target.env}. ` +
    `Ask an admin to add ${actor.login} there, or try again once GitHub answers.`
  );
}

function unmappedMessage({ config, target, actor }: PermissionFacts): string {
  const id = actor.slackUserId ?? actor.name;
  return (
    `Whistlestop does not know your GitHub login (Slack user ${id}), so it cannot check your access to ${target.repo}. ` +
    `Type \`/deploy link\` to link your GitHub account, or ask an admin (${describeEntries(config.admins)}) to add \`${id}: <your-github-login>\` under \`people:\` in whistlestop.yml.`
  );
}

const displayName = (actor: Actor): string => actor.login ?? actor.name;
