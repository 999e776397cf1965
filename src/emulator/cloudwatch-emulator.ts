import type { WhistlestopConfig } from "../core/model/config.js";
import { allTargets } from "../core/model/resolve-target.js";
import { AwsServiceError } from "./aws-service-error.js";

export type AlarmStateValue = "OK" | "ALARM" | "INSUFFICIENT_DATA";
export const ALARM_STATES: readonly AlarmStateValue[] = ["OK", "ALARM", "INSUFFICIENT_DATA"];

export interface EmulatorAlarm {
  readonly name: string;
  readonly state: AlarmStateValue;
  readonly reason: string;
  /** When it last changed state (epoch ms). */
  readonly updatedAt: number;
}

/** The name DescribeAlarms is served under (CloudWatch speaks AWS JSON 1.0). */
export const CLOUDWATCH_TARGET_PREFIX = "GraniteServiceVersion20100801.";

/**
 * CloudWatch metric alarms as the emulator serves them: each has a state that only the admin API
 * changes (nothing measures anything), and DescribeAlarms answers for the names asked, leaving out
 * the ones that do not exist, as CloudWatch does. `denied` plays a role without
 * cloudwatch:DescribeAlarms.
 */
export class CloudWatchEmulator {
  private readonly alarms = new Map<string, EmulatorAlarm>();
  denied = false;

  constructor(
    names: readonly string[] = [],
    private readonly now: () => number = Date.now,
  ) {
    for (const name of names) this.setState(name, "OK");
  }

  /** Creates the alarm when it does not exist yet. `at`: when it changed state (default now). */
  setState(name: string, state: AlarmStateValue, reason?: string, at?: number): EmulatorAlarm {
    if (!name || name.length > 255) throw new AwsServiceError("InvalidParameterValue", "alarm names are 1 to 255 characters");
    if (!ALARM_STATES.includes(state)) throw new AwsServiceError("InvalidParameterValue", `state must be one of ${ALARM_STATES.join(", ")}`);
    const previous = this.alarms.get(name);
    const changed = previous?.state !== state;
    const alarm: EmulatorAlarm = {
      name,
      state,
      reason: reason ?? (state === "ALARM" ? "Threshold Crossed: set through the emulator's admin API" : "Set through the emulator's admin API"),
      updatedAt: changed || at !== undefined ? (at ?? this.now()) : previous.updatedAt,
    };
    this.alarms.set(name, alarm);
    return alarm;
  }

  remove(name: string): boolean {
    return this.alarms.delete(name);
  }

  list(): EmulatorAlarm[] {
    return [...this.alarms.values()];
  }

  /** Every alarm back to OK; access allowed again. */
  reset(): void {
    for (const name of [...this.alarms.keys()]) this.setState(name, "OK");
    this.denied = false;
  }

  /** Serves one CloudWatch operation (only DescribeAlarms). */
  call(operation: string, input: Record<string, unknown>): unknown {
    if (operation !== "DescribeAlarms") throw new AwsServiceError("UnknownOperationException", `The emulator's CloudWatch serves DescribeAlarms only, not ${operation}`);
    if (this.denied) {
      throw new AwsServiceError("AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/whistlestop/whistlestop is not authorized to perform: cloudwatch:DescribeAlarms", 403);
    }
    const names = input.AlarmNames;
    if (names !== undefined && (!Array.isArray(names) || names.length > 100 || names.some((n) => typeof n !== "string"))) {
      throw new AwsServiceError("InvalidParameterValue", "AlarmNames must be a list of at most 100 alarm names");
    }
    const types = Array.isArray(input.AlarmTypes) ? input.AlarmTypes : ["MetricAlarm"];
    const wanted = names ? this.list().filter((a) => (names as string[]).includes(a.name)) : this.list();
    return { MetricAlarms: types.includes("MetricAlarm") ? wanted.map(metricAlarm) : [], CompositeAlarms: [] };
  }
}

function metricAlarm(alarm: EmulatorAlarm): Record<string, unknown> {
  return {
    AlarmName: alarm.name,
    AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarm.name}`,
    StateValue: alarm.state,
    StateReason: alarm.reason,
    // AWS JSON protocols carry timestamps as epoch seconds.
    StateUpdatedTimestamp: alarm.updatedAt / 1000,
    ActionsEnabled: true,
  };
}

/** Every alarm whistlestop.yml's verify settings name, so the sandbox and tests find them (in OK). */
export function alarmsFromConfig(config: WhistlestopConfig): string[] {
  const names = new Set<string>();
  for (const target of allTargets(config)) if (target.verify) for (const name of target.verify.alarms) names.add(name);
  return [...names];
}
