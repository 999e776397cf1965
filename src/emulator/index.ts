/** The CodePipeline emulator: for tests, benchmarks and the sandbox (`whistlestop sandbox`). */
export { Emulator, type CallRecord, type CallerCredentials, type EmulatorOptions, type EmulatorStats } from "./emulator.js";
export type { AssumeRoleRecord, EmulatorRole } from "./sts-emulator.js";
export { startEmulator, type RunningEmulator, type StartEmulatorOptions } from "./start-emulator.js";
export { pipelinesFromConfig } from "./pipelines-from-config.js";
export { alarmsFromConfig, CloudWatchEmulator, type EmulatorAlarm } from "./cloudwatch-emulator.js";
export { amiIdFor, DEFAULT_VARIABLES, type EmulatorPipeline } from "./emulator-pipeline.js";
export { ManualScheduler, RealScheduler, type Scheduler } from "./scheduler.js";
export type { ChaosSettings, StageFailure } from "./fault-injector.js";
export type { EventTarget, PipelineEvent } from "./event-publisher.js";
export { AwsServiceError } from "./aws-service-error.js";
