import type { Target, VerifySettings } from "../model/config.js";
import type { Verification, VerificationProblem } from "../model/deploy.js";
import type { AlarmReading } from "../ports/alarms.js";
import { AlarmReadError } from "../ports/alarms.js";
export { verificationLeft } from "../model/verification-text.js";

/** CloudWatch is asked at most once per this much verification, per deploy. */
export const MIN_CHECK_INTERVAL_MS = 30_000;
/** A throttled or failing CloudWatch is asked again after a growing wait, never longer than this. */
export const MAX_BACKOFF_MS = 5 * 60_000;

/** The verify settings that apply to a target, or undefined when there is nothing to watch. */
export function verifySettingsOf(target: Pick<Target, "verify"> | undefined): VerifySettings | undefined {
  const verify = target?.verify;
  return verify && verify.alarms.length > 0 ? verify : undefined;
}

/** A new verification, starting now. */
export function startVerification(settings: VerifySettings, now: Date): Verification {
  return {
    alarms: [...settings.alarms],
    startedAt: now.toISOString(),
    endsAt: new Date(now.getTime() + settings.forMs).toISOString(),
    onAlarm: settings.onAlarm,
    checks: 0,
    failures: 0,
  };
}

/**
 * The regular wait between two checks: the period split evenly so that the first check comes at
 * its start, the last at its end, and there are at most (period / 30 s) of them in all.
 */
export function checkIntervalMs(periodMs: number): number {
  const checks = Math.floor(periodMs / MIN_CHECK_INTERVAL_MS);
  return checks >= 2 ? Math.ceil(periodMs / (checks - 1)) : Math.max(periodMs, MIN_CHECK_INTERVAL_MS);
}

/** The wait after the last check: the regular one, doubled for each failed call in a row (capped). */
export function backoffMs(verification: Verification): number {
  const regular = checkIntervalMs(Date.parse(verification.endsAt) - Date.parse(verification.startedAt));
  return Math.max(regular, Math.min(MAX_BACKOFF_MS, regular * 2 ** verification.failures));
}

export type VerificationStep =
  /** Ask CloudWatch now; `final` when the period is over (the answer decides the deploy either way). */
  | { readonly kind: "check"; readonly final: boolean }
  | { readonly kind: "wait"; readonly ms: number }
  /** The period is over and nothing fired: the deploy succeeded. */
  | { readonly kind: "pass" };

/**
 * What a verifying deploy needs now. Pure, from the stored verification and the clock, so any
 * replica after any restart takes the same next step. The period's end gets one last check unless
 * the previous one was less than 30 s ago.
 */
export function nextVerificationStep(verification: Verification, now: Date): VerificationStep {
  const nowMs = now.getTime();
  const endMs = Date.parse(verification.endsAt);
  if (verification.checkedAt === undefined) return { kind: "check", final: nowMs >= endMs };
  const lastMs = Date.parse(verification.checkedAt);
  if (nowMs >= endMs) return nowMs - lastMs >= MIN_CHECK_INTERVAL_MS ? { kind: "check", final: true } : { kind: "pass" };
  const dueMs = lastMs + backoffMs(verification);
  return nowMs >= dueMs ? { kind: "check", final: false } : { kind: "wait", ms: Math.min(dueMs, endMs) - nowMs };
}

export interface CheckOutcome {
  readonly verification: Verification;
  /** The first configured alarm found in ALARM during the period: the deploy fails with it. */
  readonly firing?: string;
  /** The problem shown on the deploy changed (a new one, or one that went away): show it again. */
  readonly problemChanged: boolean;
}

/** When the check falls: the period's last check, and when the deploy's pipeline started. */
export interface CheckTiming {
  readonly final: boolean;
  readonly deployStartedAt?: string;
}

/**
 * What one DescribeAlarms answer (or failure) means for the verification. An alarm counts when it
 * is in ALARM and went there before the period ended: one that fired afterwards is someone else's
 * news. One that was already in ALARM before the deploy started is held (`holding`): it counts
 * only at the last check, so a fix or a rollback has the period to bring it back to OK. Missing
 * alarms and a denied permission become the deploy's problem, shown to people; they never fail
 * the deploy by themselves. `where` names the account and region for the messages.
 */
export function applyAlarmReading(
  verification: Verification,
  reading: ReadonlyMap<string, AlarmReading> | AlarmReadError,
  now: Date,
  where: string,
  target: string,
  timing: CheckTiming = { final: false },
): CheckOutcome {
  const checked = { ...verification, checkedAt: now.toISOString(), checks: verification.checks + 1 };
  if (reading instanceof AlarmReadError) {
    const problem = reading.kind === "access_denied" ? accessDenied(where, reading.message) : verification.problem;
    return withProblem({ ...checked, failures: verification.failures + 1 }, problem, verification);
  }
  const endMs = Date.parse(verification.endsAt);
  const startedMs = timing.deployStartedAt ? Date.parse(timing.deployStartedAt) : Number.NaN;
  const inAlarm = verification.alarms.filter((name) => {
    const alarm = reading.get(name);
    return alarm?.state === "ALARM" && (alarm.since === undefined || Date.parse(alarm.since) <= endMs);
  });
  const before = (name: string): boolean => {
    const since = reading.get(name)?.since;
    return since !== undefined && Date.parse(since) < startedMs;
  };
  const holding = timing.final ? [] : inAlarm.filter(before);
  const firing = inAlarm.find((name) => !holding.includes(name));
  const missing = verification.alarms.filter((name) => !reading.has(name));
  const found = missing.length ? verification.alarms.filter((name) => reading.has(name)) : undefined;
  const problem = missing.length ? missingAlarms(missing, where, target) : undefined;
  const heldToEnd = firing !== undefined && before(firing);
  const next = { ...withoutFound(checked), failures: 0, ...(found ? { found } : {}), ...(holding.length ? { holding } : {}), ...(heldToEnd ? { heldToEnd } : {}) };
  const outcome = withProblem(next, problem, verification);
  return firing ? { ...outcome, firing } : outcome;
}

function withProblem(next: Verification, problem: VerificationProblem | undefined, before: Verification): CheckOutcome {
  const { problem: _old, ...rest } = next;
  const verification = problem ? { ...rest, problem } : rest;
  const problemChanged = before.problem?.kind !== problem?.kind || before.problem?.message !== problem?.message;
  return { verification, problemChanged };
}

function withoutFound(verification: Verification): Verification {
  const { found: _found, holding: _holding, heldToEnd: _heldToEnd, ...rest } = verification;
  return rest;
}

function missingAlarms(missing: readonly string[], where: string, target: string): VerificationProblem {
  const names = missing.map((name) => `"${name}"`).join(", ");
  const verb = missing.length === 1 ? "alarm" : "alarms";
  return {
    kind: "missing_alarms",
    message: `${verb} ${names} ${missing.length === 1 ? "does" : "do"} not exist in ${where}; fix verify.alarms for ${target} in whistlestop.yml (the other alarms are still watched)`,
  };
}

function accessDenied(where: string, detail: string): VerificationProblem {
  return {
    kind: "access_denied",
    message:
      `CloudWatch denied cloudwatch:DescribeAlarms in ${where}, so the alarms are not watched and nothing is rolled back because of them; ` +
      `grant cloudwatch:DescribeAlarms to Whistlestop's role there (docs/aws.md). ${detail}`,
  };
}
