import { deployOwnerKey } from "../../core/model/actor.js";
import type { WhistlestopConfig } from "../../core/model/config.js";
import type { Deploy } from "../../core/model/deploy.js";
import { lockCovers, type Lock } from "../../core/model/lock.js";
import { windowCovers } from "../../core/policies/window-covers.js";
import { escapeMrkdwn, truncate } from "./slack-text.js";

/**
 * What a forced deploy went past, read from the locks and windows in force when it is announced:
 * the Deploy record only says that it was forced, and the announcement should say through what.
 */
export function describeForcedPast(deploy: Deploy, locks: readonly Lock[], config: WhistlestopConfig, now: Date): string[] {
  const owner = deployOwnerKey(deploy);
  const held = locks
    .filter((l) => lockCovers(l, deploy.service, deploy.env) && l.ownerKey !== owner)
    .map((l) => `🔒 ${l.owner}'s lock on ${l.service}/${l.env}${l.reason ? ` (${l.reason})` : ""}`);
  const covering = config.windows.filter((w) => windowCovers(w, deploy.service, deploy.env));
  const denying = covering.filter((w) => w.kind === "deny" && w.schedule.openAt(now)).map((w) => `the ${w.name} window`);
  const allows = covering.filter((w) => w.kind === "allow");
  const outside = allows.length && !allows.some((w) => w.schedule.openAt(now)) ? [`outside the ${allows.map((w) => w.name).join(" / ")} window`] : [];
  return [...held, ...denying, ...outside];
}

/** The line in announce_channel for a forced deploy: who, what and why (docs/slack.md, Break glass). */
export function forcedAnnouncement(deploy: Deploy, forcedPast: readonly string[]): string {
  const what = `${deploy.rollbackOf ? "a rollback of " : ""}${escapeMrkdwn(`${deploy.service}/${deploy.env}`)} to \`${deploy.sha.slice(0, 7)}\``;
  const past = forcedPast.length ? forcedPast.map(escapeMrkdwn).join(" and ") : "the locks and windows in force";
  const reason = deploy.reason ? `_${escapeMrkdwn(truncate(deploy.reason, 500))}_` : "none given";
  return `🚨 *Break glass:* ${escapeMrkdwn(deploy.actor)} forced ${what} past ${past}. Reason: ${reason} (deploy \`${deploy.id}\`).`;
}
