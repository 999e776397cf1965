import type { Actor } from "../model/actor.js";
import { allow, type Decision } from "./decision.js";
import { lockPolicy } from "./lock-policy.js";
import type { PolicyInput } from "./policy-input.js";
import { windowPolicy } from "./window-policy.js";

export type ExternalDeployFacts = Pick<PolicyInput, "now" | "config" | "target" | "locks"> & {
  /** Who started the run (a GitHub login), when known: a lock's owner may still deploy through it. */
  readonly actor?: Actor;
};

/** Matches no lock owner: a run nobody can be named for passes no lock. */
const NOBODY: Actor = { surface: "github", name: "an unknown actor" };

/**
 * A deploy Whistlestop did not start itself (a GitHub Actions job behind a deployment protection
 * rule): only the rules that stop everyone apply — a lock, then a critical window (policy steps
 * 3–4). Permission, promotion and the queue belong to Whistlestop's own deploys; nobody can --force
 * from a workflow, so forcing is not considered.
 */
export function externalDeployPolicy(facts: ExternalDeployFacts): Decision {
  const { now, config, target, locks } = facts;
  const locked = lockPolicy({ now, config, target, locks, actor: facts.actor ?? NOBODY });
  if (!locked.allowed) return locked;
  const window = windowPolicy({ now, config, target, action: "deploy" });
  if (!window.allowed) return window;
  return allow();
}
