import type { Actor } from "../model/actor.js";
import type { RepoPermission } from "../ports/source-control.js";
import { describeEntries, isAdmin, isListed } from "./access-list.js";
import { allow, deny, type Decision } from "./decision.js";
import type { PermissionFacts } from "./policy-input.js";

export { isAdmin, isListed } from "./access-list.js";

const CAN_DEPLOY: ReadonlySet<RepoPermission> = new Set(["write", "maintain", "admin"]);

/**
 * SPEC §4 step 2. `verb` only words the message ("deploy", "roll back", "lock").
 * API actors (a token's name) skip the repository lookup: SPEC §7 matches them only against
 * `deployers` and `admins`.
 */
export function permissionPolicy(facts: PermissionFacts, verb = "deploy"): Decision {
  const { config, target, actor, teams } = facts;
  const admin = isAdmin(actor, config, teams);
  const listedDeployer = target.deployers.length > 0 && isListed(target.deployers, actor, teams);

  if (actor.surface !== "api" && !actor.login) {
    // Without a GitHub login nobody can check repo write; only an explicit entry vouches for the user.
    return admin || listedDeployer ? allow() : deny("permission_denied", unmappedMessage(facts));
  }

  if (actor.surface !== "api" && facts.repoPermission !== undefined && !CAN_DEPLOY.has(facts.repoPermission)) {
    return deny(
      "permission_denied",
      `${actor.login} has ${facts.repoPermission} access to ${target.repo}; to ${verb} ${target.service}/${target.env} you need write access. ` +
        `Ask a maintainer of ${target.repo} for write access, or ask someone who has it to ${verb} for you.`,
    );
  }

  if (target.deployers.length > 0 && !listedDeployer && !admin) {
    return deny(
      "permission_denied",
      `${displayName(actor)} may not ${verb} ${target.service}/${target.env}: only its deployers (${describeEntries(target.deployers)}) ` +
        `and admins (${describeEntries(config.admins)}) may. Ask one of them to ${verb} for you, or ask an admin to add you to ` +
        `\`deployers\` of ${target.env} in whistlestop.yml.`,
    );
  }
  return allow();
}

function unmappedMessage({ config, target, actor }: PermissionFacts): string {
  const id = actor.slackUserId ?? actor.name;
  return (
    `Whistlestop does not know your GitHub login (Slack user ${id}), so it cannot check your access to ${target.repo}. ` +
    `Ask an admin (${describeEntries(config.admins)}) to add \`${id}: <your-github-login>\` under \`people:\` in whistlestop.yml.`
  );
}

const displayName = (actor: Actor): string => actor.login ?? actor.name;
