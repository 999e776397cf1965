/** A CloudWatch alarm's state value. */
export type AlarmStateValue = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface AlarmReading {
  readonly state: AlarmStateValue;
  /** When the alarm last changed state (CloudWatch's StateUpdatedTimestamp), when known. */
  readonly since?: string;
}

/**
 * Why reading alarms failed. `access_denied`: the credentials may not call cloudwatch:DescribeAlarms
 * there (a person must grant it; retrying soon will not help). `throttled` and `unavailable`: try
 * again later, backing off.
 */
export type AlarmErrorKind = "access_denied" | "throttled" | "unavailable" | "failed";

export class AlarmReadError extends Error {
  constructor(
    message: string,
    readonly kind: AlarmErrorKind,
  ) {
    super(message);
    this.name = "AlarmReadError";
  }
}

/** CloudWatch alarms, read where a pipeline lives (its account and region). */
export interface Alarms {
  /**
   * The named alarms' states, in one call. An alarm that does not exist there is absent from the
   * answer. Throws AlarmReadError.
   */
  describe(pipelineName: string, names: readonly string[]): Promise<ReadonlyMap<string, AlarmReading>>;
  /** Where that pipeline's alarms are read, for messages: "us-east-1 (account 111122223333)". */
  whereOf(pipelineName: string): string;
}
