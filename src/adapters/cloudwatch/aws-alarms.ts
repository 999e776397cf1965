import type { WhistlestopConfig } from "../../core/model/config.js";
import { pipelineLocator } from "../codepipeline/aws-pipeline.js";
import { CloudWatchAlarms, type CloudWatchAlarmsOptions } from "./cloudwatch-alarms.js";

/** CloudWatch alarms where each configured pipeline lives, reached as its CodePipeline client reaches it. */
export function createAwsAlarms(config: WhistlestopConfig, options: CloudWatchAlarmsOptions = {}): CloudWatchAlarms {
  return new CloudWatchAlarms(pipelineLocator(config), options);
}
