import { formatDuration } from "../time/duration.js";
import type { Deploy, Verification } from "./deploy.js";

/** "verifying, 7 min left" (rounded up, so "1 min left" until the very end). */
export function verificationLeft(verification: Pick<Verification, "endsAt">, now: Date): string {
  const leftMs = Math.max(0, Date.parse(verification.endsAt) - now.getTime());
  return `verifying, ${Math.ceil(leftMs / 60_000)} min left`;
}

/** The alarm a deploy failed by (reason code `alarm:<name>`), if that is why it failed. */
export function firedAlarm(deploy: Pick<Deploy, "reasonCode">): string | undefined {
  return deploy.reasonCode?.startsWith("alarm:") ? deploy.reasonCode.slice("alarm:".length) : undefined;
}

/**
 * What every surface says about a deploy's verification beyond its state: which alarms are watched
 * and until when, what went wrong reading them, or which alarm failed it. Empty when it has none.
 */
export function verificationLines(deploy: Deploy, now: Date): string[] {
  const v = deploy.verification;
  if (!v) return [];
  const lines: string[] = [];
  const alarm = firedAlarm(deploy);
  const watched = v.alarms.join(", ");
  // A rollback is never rolled back itself.
  const rollsBack = v.onAlarm === "rollback" && !deploy.rollbackOf;
  if (deploy.state === "verifying") lines.push(`${capitalise(verificationLeft(v, now))}: watching ${watched}${rollsBack ? " (an alarm rolls it back)" : ""}`);
  else if (alarm && v.heldToEnd) lines.push(`Alarm ${alarm} was still in ALARM when verification ended (it had been since before this deploy)${rollsBack ? "; rolling back" : ""}`);
  else if (alarm) lines.push(`Alarm ${alarm} went into ALARM during verification${rollsBack ? "; rolling back" : ""}`);
  else if (deploy.state === "succeeded" && v.stoppedBy) lines.push(`Verification stopped early by ${v.stoppedBy}: not verified`);
  else if (deploy.state === "succeeded" && v.problem?.kind === "access_denied") lines.push(`Not verified: the alarms (${watched}) could not be read`);
  else if (deploy.state === "succeeded") lines.push(`Verified for ${formatDuration(Date.parse(v.endsAt) - Date.parse(v.startedAt))}: no alarm fired (${watched})`);
  if (deploy.state === "verifying" && v.holding?.length) lines.push(heldText(v.holding));
  if (v.problem) lines.push(`⚠️ ${v.problem.message}`);
  return lines;
}

/** Alarms firing since before the deploy started, which it has until the end of the period to clear. */
export function heldText(holding: readonly string[]): string {
  const names = holding.join(", ");
  return `${names} ${holding.length === 1 ? "has been" : "have been"} in ALARM since before this deploy: it fails only if still in ALARM when verification ends`;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
