import type { Deploy } from "../model/deploy.js";
import { allow, deny, type Decision } from "./decision.js";
import { formatMoment } from "./format-moment.js";
import type { PolicyInput } from "./policy-input.js";

export type ConcurrencyFacts = Pick<PolicyInput, "now" | "config" | "target" | "running">;

/**
 * Policy step 6 (`busy`). With `concurrency: queue` a busy target still allows: the caller queues the
 * request and reports its position. With `reject` the request is refused. Never forced: two
 * rollouts of one pipeline at once is never what anyone wants.
 */
export function concurrencyPolicy(facts: ConcurrencyFacts): Decision {
  const { running, target } = facts;
  if (!running || target.concurrency === "queue") return allow();
  const since = running.startedAt ?? running.requestedAt;
  return deny(
    "busy",
    `${target.service}/${target.env} is busy: deploy ${running.id} of ${running.sha.slice(0, 7)} by ${running.actor} ` +
      `has been running since ${formatMoment(new Date(since), facts.config.timezone, facts.now)}. ` +
      `Wait for it to finish and try again, or \`cancel ${target.service} ${target.env}\` to stop it.`,
  );
}

/**
 * Which queued deploys a new request supersedes: an automatic (merge) deploy replaces
 * the older automatic deploys still queued for the same (service, env); requests by people are
 * never dropped. `queued` is the queue of that (service, env).
 */
export function supersedes(newIsAutomatic: boolean, queued: readonly Deploy[]): Deploy[] {
  return newIsAutomatic ? queued.filter((d) => d.automatic && d.state === "queued") : [];
}
