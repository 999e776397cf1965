import { actorKey, deployOwnerKey, type Actor } from "../model/actor.js";
import type { Deploy } from "../model/deploy.js";
import { describeEntries, isListed } from "./access-list.js";
import { allow, deny, type Decision } from "./decision.js";
import { permissionPolicy } from "./permission-policy.js";
import type { PermissionFacts } from "./policy-input.js";

/** What the approver rules need: the permission facts of the person answering, and whose deploy it is. */
export interface ApproverFacts extends PermissionFacts {
  readonly deploy: Pick<Deploy, "id" | "service" | "env" | "surface" | "actor" | "actorLogin" | "actorKey">;
}

/**
 * The requester, by key: their recorded actor key, and their GitHub login or Slack id besides, so
 * the same person is recognised whichever surface they answer from. Display names never count.
 */
export function isRequester(deploy: ApproverFacts["deploy"], actor: Actor): boolean {
  if (deployOwnerKey(deploy) === actorKey(actor)) return true;
  if (actor.apiClient) return false;
  const login = actor.login?.toLowerCase();
  if (login && deploy.actorLogin?.toLowerCase() === login) return true;
  return deploy.surface === "slack" && !deploy.actorLogin && actor.slackUserId !== undefined && deploy.actor === actor.slackUserId;
}

/**
 * May this actor's approval count (docs/commands.md, Approvals)? Never the requester's
 * (self_approval). Then only listed approvers (not_an_approver): the entries of `approvals.from`,
 * or without it whoever may deploy there (permissionPolicy: deployers and admins, or anyone with
 * verified write access where no deployers are listed; fails closed like it).
 */
export function approverPolicy(facts: ApproverFacts): Decision {
  const { actor, deploy, target, teams } = facts;
  const what = `deploy ${deploy.id} of ${deploy.service}/${deploy.env}`;
  if (isRequester(deploy, actor)) {
    return deny("self_approval", `You asked for ${what} yourself, so your approval does not count: ask ${approversText(facts)} to approve it.`);
  }
  const from = target.approvals?.from;
  if (from) {
    return isListed(from, actor, teams) ? allow() : deny("not_an_approver", `${actor.login ?? actor.name} may not approve ${what}: its approvers are ${describeEntries(from)}. Ask one of them.`);
  }
  const permission = permissionPolicy(facts, "approve deploys of");
  return permission.allowed ? allow() : deny("not_an_approver", permission.message);
}

/** Who may approve there, in words. */
export function approversText(facts: Pick<ApproverFacts, "target" | "config">): string {
  const from = facts.target.approvals?.from;
  if (from) return describeEntries(from);
  if (facts.target.deployers.length) return `its deployers (${describeEntries(facts.target.deployers)}) or an admin (${describeEntries(facts.config.admins)})`;
  return `anyone with write access to ${facts.target.repo}`;
}
