import { shortSha } from "../../core/commands/deploy-view.js";
import { SYSTEM_ACTOR } from "../../core/model/audit.js";
import type { Deploy } from "../../core/model/deploy.js";
import { escapeMrkdwn } from "./slack-text.js";

/** A rollback Whistlestop started by itself after a failure (on_failure: rollback). */
export const isAutomaticRollback = (deploy: Deploy): boolean => Boolean(deploy.rollbackOf) && deploy.actor === SYSTEM_ACTOR;

/** The key that makes the announcement one per failure, across replicas and restarts. */
export const autoRollbackAnnouncementKey = (failedId: string): string => `slack:announce:auto-rollback:${failedId}`;

/**
 * The line in announce_channel for an automatic rollback: which deploy failed, the release the
 * target goes back to, and that Whistlestop (not a person) started it.
 */
export function autoRollbackAnnouncement(rollback: Deploy, failed: Deploy | undefined): string {
  const target = escapeMrkdwn(`${rollback.service}/${rollback.env}`);
  const what = failed ? `deploy \`${failed.id}\` of \`${shortSha(failed.sha)}\`` : `deploy \`${rollback.rollbackOf ?? "?"}\``;
  return `↩️ *Automatic rollback:* ${what} to ${target} failed, so ${SYSTEM_ACTOR} started a rollback to \`${shortSha(rollback.sha)}\`, the last good release (deploy \`${rollback.id}\`).`;
}
