import { AwsServiceError } from "./aws-service-error.js";
import { seededRandom } from "./seeded-random.js";

export interface StageFailure {
  /** Only this pipeline; default any. */
  readonly pipeline?: string;
  readonly stage: string;
  /** Only executions of this commit (a prefix of the sha is enough). */
  readonly sha?: string;
  readonly message?: string;
  /** How many executions to fail; default every matching one until reset. */
  readonly times?: number;
}

export interface ChaosSettings {
  /** Share of calls answered with ThrottlingException, 0–1. */
  readonly throttleRate?: number;
  /** Share of calls answered with HTTP 500, 0–1. */
  readonly errorRate?: number;
  readonly seed?: number;
}

interface CallFault {
  remaining: number;
  readonly operation?: string;
}

/** Decides which calls and stages fail. Random faults come from a seeded generator so runs repeat. */
export class FaultInjector {
  private throttles: CallFault[] = [];
  private errors: CallFault[] = [];
  private stageFailures: { rule: StageFailure; remaining: number }[] = [];
  private chaos: Required<ChaosSettings> = { throttleRate: 0, errorRate: 0, seed: 1 };
  private random = seededRandom(1);

  throttleNext(count: number, operation?: string): void {
    this.throttles.push({ remaining: count, operation });
  }

  failNext(count: number, operation?: string): void {
    this.errors.push({ remaining: count, operation });
  }

  failStage(rule: StageFailure): void {
    this.stageFailures.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  setChaos(settings: ChaosSettings): void {
    this.chaos = { throttleRate: settings.throttleRate ?? 0, errorRate: settings.errorRate ?? 0, seed: settings.seed ?? 1 };
    this.random = seededRandom(this.chaos.seed);
  }

  reset(): void {
    this.throttles = [];
    this.errors = [];
    this.stageFailures = [];
    this.setChaos({});
  }

  /** The injected error for this call, if any. */
  callFault(operation: string): AwsServiceError | undefined {
    if (take(this.throttles, operation) || this.roll(this.chaos.throttleRate)) {
      return new AwsServiceError("ThrottlingException", "Rate exceeded");
    }
    if (take(this.errors, operation) || this.roll(this.chaos.errorRate)) {
      return new AwsServiceError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
    }
    return undefined;
  }

  /** The error message for an action finishing in `stage`, if a rule says it fails. */
  stageFault(pipeline: string, stage: string, sha: string): string | undefined {
    const match = this.stageFailures.find(
      ({ rule, remaining }) =>
        remaining > 0 && rule.stage === stage && (!rule.pipeline || rule.pipeline === pipeline) && (!rule.sha || sha.startsWith(rule.sha)),
    );
    if (!match) return undefined;
    match.remaining -= 1;
    return match.rule.message ?? `Injected failure in stage ${stage}`;
  }

  private roll(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }
}

function take(faults: CallFault[], operation: string): boolean {
  const fault = faults.find((f) => f.remaining > 0 && (!f.operation || f.operation === operation));
  if (!fault) return false;
  fault.remaining -= 1;
  return true;
}
