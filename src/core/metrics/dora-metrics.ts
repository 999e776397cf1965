import type { DoraFacts } from "../model/dora.js";
import { median, nearestRank } from "./percentiles.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A release rolled back within this long of going live counts as a change failure. */
export const ROLLBACK_WINDOW_MS = 24 * HOUR_MS;

/** The four DORA metrics over one period. Durations are whole seconds; null where there is nothing to measure. */
export interface DoraMetrics {
  /** Succeeded deploys (rollbacks included) per day of the period. */
  readonly deploymentFrequency: { readonly perDay: number; readonly deploys: number };
  /** Merged pull request → live, for changes that went live in the period. */
  readonly leadTime: { readonly changes: number; readonly medianSeconds: number | null; readonly p90Seconds: number | null };
  /** Change failures over the deploys that ended (succeeded or failed) in the period. */
  readonly changeFailureRate: { readonly rate: number | null; readonly failures: number; readonly deploys: number };
  /** Failure → the next succeeded deploy that is not a failure itself, for failures in the period. */
  readonly timeToRestore: { readonly medianSeconds: number | null; readonly restored: number; readonly unrestored: number };
}

/** A deploy that succeeded or failed, judged once against everything known of its target. */
interface JudgedDeploy {
  readonly target: string;
  readonly finishedMs: number;
  readonly succeeded: boolean;
  readonly changeFailure: boolean;
}

/** A failure and when its target was healthy again (undefined while it is not). */
interface Incident {
  readonly target: string;
  readonly startMs: number;
  readonly restoredMs?: number;
}

interface LeadTime {
  readonly target: string;
  readonly liveMs: number;
  readonly leadMs: number;
}

/** Facts judged once, ready to be summed up over any period or target. */
export interface JudgedFacts {
  readonly deploys: readonly JudgedDeploy[];
  readonly incidents: readonly Incident[];
  readonly leadTimes: readonly LeadTime[];
}

export const targetKey = (service: string, env: string): string => `${service}/${env}`;

/**
 * Judges every deploy of the facts:
 * - a change failure is a deploy that failed after its deploy stage started (one that failed in
 *   an earlier stage, such as the bake, changed nothing where it runs), or one that went live and
 *   was rolled back (a rollback of it requested) within 24 hours;
 * - an incident starts at a change failure and ends at the next succeeded deploy of the same
 *   service and environment that is not a change failure itself; failures in between belong to it.
 * `deployStageOf` names the deploy stage of a target (`deploy_stage` in whistlestop.yml).
 */
export function judgeDora(facts: DoraFacts, deployStageOf: (service: string, env: string) => string): JudgedFacts {
  const rollbackRequested = new Map<string, number>();
  for (const o of facts.outcomes) {
    if (!o.rollbackOf) continue;
    const at = Date.parse(o.requestedAt);
    rollbackRequested.set(o.rollbackOf, Math.min(at, rollbackRequested.get(o.rollbackOf) ?? at));
  }
  const ran = facts.outcomes
    .filter((o) => o.state !== "cancelled")
    .map((o) => ({ o, finishedMs: Date.parse(o.finishedAt) }))
    .sort((a, b) => a.finishedMs - b.finishedMs || a.o.deployId.localeCompare(b.o.deployId));
  const deploys: JudgedDeploy[] = [];
  const open = new Map<string, number>();
  const incidents: Incident[] = [];
  for (const { o, finishedMs } of ran) {
    const target = targetKey(o.service, o.env);
    const succeeded = o.state === "succeeded";
    const rolledBackAt = rollbackRequested.get(o.deployId);
    const changeFailure = succeeded
      ? rolledBackAt !== undefined && rolledBackAt - finishedMs <= ROLLBACK_WINDOW_MS
      : o.stagesStarted.includes(deployStageOf(o.service, o.env));
    deploys.push({ target, finishedMs, succeeded, changeFailure });
    const start = open.get(target);
    if (changeFailure && start === undefined) open.set(target, finishedMs);
    else if (succeeded && !changeFailure && start !== undefined) {
      incidents.push({ target, startMs: start, restoredMs: finishedMs });
      open.delete(target);
    }
  }
  for (const [target, startMs] of open) incidents.push({ target, startMs });
  const leadTimes = facts.leadTimes
    .map((l) => ({ target: targetKey(l.service, l.env), liveMs: Date.parse(l.liveAt), leadMs: Date.parse(l.liveAt) - Date.parse(l.mergedAt) }))
    // A change live before its recorded merge is a clock or data error, not a negative lead time.
    .filter((l) => l.leadMs >= 0);
  return { deploys, incidents, leadTimes };
}

/** The judged facts of each target, by `service/env`. */
export function judgedByTarget(judged: JudgedFacts): Map<string, JudgedFacts> {
  const byTarget = new Map<string, { deploys: JudgedDeploy[]; incidents: Incident[]; leadTimes: LeadTime[] }>();
  const of = (target: string) => {
    let entry = byTarget.get(target);
    if (!entry) byTarget.set(target, (entry = { deploys: [], incidents: [], leadTimes: [] }));
    return entry;
  };
  for (const d of judged.deploys) of(d.target).deploys.push(d);
  for (const i of judged.incidents) of(i.target).incidents.push(i);
  for (const l of judged.leadTimes) of(l.target).leadTimes.push(l);
  return byTarget;
}

/** The metrics over [from, to]: deploys that ended, failures that started and changes that went live in it. */
export function summarizeDora(judged: JudgedFacts, from: Date, to: Date): DoraMetrics {
  const lo = from.getTime();
  const hi = to.getTime();
  const inPeriod = (ms: number) => ms >= lo && ms <= hi;
  const deploys = judged.deploys.filter((d) => inPeriod(d.finishedMs));
  const succeeded = deploys.filter((d) => d.succeeded).length;
  const failures = deploys.filter((d) => d.changeFailure).length;
  const leads = judged.leadTimes.filter((l) => inPeriod(l.liveMs)).map((l) => l.leadMs);
  const incidents = judged.incidents.filter((i) => inPeriod(i.startMs));
  const restores = incidents.flatMap((i) => (i.restoredMs === undefined ? [] : [i.restoredMs - i.startMs]));
  const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));
  return {
    deploymentFrequency: { perDay: succeeded / ((hi - lo) / DAY_MS), deploys: succeeded },
    leadTime: { changes: leads.length, medianSeconds: seconds(median(leads)), p90Seconds: seconds(nearestRank(leads, 90)) },
    changeFailureRate: { rate: deploys.length ? failures / deploys.length : null, failures, deploys: deploys.length },
    timeToRestore: { medianSeconds: seconds(median(restores)), restored: restores.length, unrestored: incidents.length - restores.length },
  };
}

export const EMPTY_JUDGED: JudgedFacts = { deploys: [], incidents: [], leadTimes: [] };
