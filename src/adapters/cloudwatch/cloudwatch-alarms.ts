import { CloudWatchClient, DescribeAlarmsCommand, type CloudWatchClientConfig } from "@aws-sdk/client-cloudwatch";
import type { PipelineLocation } from "../../core/model/pipeline-location.js";
import type { AlarmReading, Alarms, AlarmStateValue } from "../../core/ports/alarms.js";
import { clientKeyOf, credentialsFor, type ClientKey, type CodePipelineClientsOptions } from "../codepipeline/codepipeline-clients.js";
import { AWS_HTTP_TIMEOUTS } from "../codepipeline/create-codepipeline-client.js";
import { toAlarmReadError } from "./to-alarm-read-error.js";

/** One DescribeAlarms call answers for at most this many names (the configuration allows no more). */
const MAX_NAMES = 100;

export type CloudWatchAlarmsOptions = Pick<CodePipelineClientsOptions, "defaultRegion" | "endpoint" | "credentials" | "stsEndpoint" | "sessionName">;

/** The few calls of the SDK client this adapter makes (tests may count them). */
export type DescribeAlarmsClient = Pick<CloudWatchClient, "send">;

/**
 * The Alarms port on CloudWatch DescribeAlarms, where each pipeline lives: the same (region, role)
 * and credentials as its CodePipeline client, one CloudWatch client per pair, kept. The SDK does
 * not retry (one attempt per call): the verification backs off between checks itself, so a check
 * is exactly one call and a deploy makes at most one per 30 s.
 */
export class CloudWatchAlarms implements Alarms {
  private readonly clients = new Map<string, DescribeAlarmsClient>();

  constructor(
    private readonly locate: (pipelineName: string) => PipelineLocation,
    private readonly options: CloudWatchAlarmsOptions = {},
    private readonly createClient: (key: ClientKey) => DescribeAlarmsClient = (key) => createCloudWatchClient(key, options),
  ) {}

  async describe(pipelineName: string, names: readonly string[]): Promise<ReadonlyMap<string, AlarmReading>> {
    const key = clientKeyOf(this.locate(pipelineName), this.options.defaultRegion);
    const where = this.whereOf(pipelineName);
    let answer;
    try {
      answer = await this.client(key).send(
        new DescribeAlarmsCommand({ AlarmNames: names.slice(0, MAX_NAMES), AlarmTypes: ["MetricAlarm", "CompositeAlarm"], MaxRecords: MAX_NAMES }),
      );
    } catch (error) {
      throw toAlarmReadError(error, where);
    }
    const readings = new Map<string, AlarmReading>();
    for (const alarm of [...(answer.MetricAlarms ?? []), ...(answer.CompositeAlarms ?? [])]) {
      if (!alarm.AlarmName || !alarm.StateValue) continue;
      readings.set(alarm.AlarmName, {
        state: alarm.StateValue as AlarmStateValue,
        ...(alarm.StateUpdatedTimestamp ? { since: alarm.StateUpdatedTimestamp.toISOString() } : {}),
      });
    }
    return readings;
  }

  whereOf(pipelineName: string): string {
    const location = this.locate(pipelineName);
    const region = location.region ?? this.options.defaultRegion ?? "the default region (AWS_REGION)";
    const account = location.account ? `account ${location.account}` : location.roleArn ? undefined : "the account of Whistlestop's own credentials";
    const role = location.roleArn ? `role ${location.roleArn}` : undefined;
    return `${region} (${[account, role].filter(Boolean).join(", ")})`;
  }

  private client(key: ClientKey): DescribeAlarmsClient {
    const id = JSON.stringify([key.region ?? "", key.roleArn ?? "", key.externalId ?? ""]);
    let client = this.clients.get(id);
    if (!client) {
      client = this.createClient(key);
      this.clients.set(id, client);
    }
    return client;
  }
}

/** CloudWatch for one (region, role); AWS_ENDPOINT_URL_CLOUDWATCH is honoured by the SDK when no endpoint is given. */
export function createCloudWatchClient(key: ClientKey, options: CloudWatchAlarmsOptions): CloudWatchClient {
  const credentials = credentialsFor(key, options);
  const config: CloudWatchClientConfig = {
    requestHandler: AWS_HTTP_TIMEOUTS,
    maxAttempts: 1,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(key.region ? { region: key.region } : {}),
    ...(credentials ? { credentials } : {}),
  };
  return new CloudWatchClient(config);
}
