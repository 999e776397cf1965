import { AwsServiceError } from "./aws-service-error.js";
import { OPERATIONS } from "./codepipeline-operations.js";
import { definePipeline, type EmulatorPipeline, type PipelineDefinition } from "./emulator-pipeline.js";
import { EventPublisher, type EventTarget, type PipelineEvent } from "./event-publisher.js";
import type { ExecutionRecord } from "./execution-record.js";
import { FaultInjector, type ChaosSettings, type StageFailure } from "./fault-injector.js";
import { PipelineRuntime } from "./pipeline-runtime.js";
import { ManualScheduler, RealScheduler, type Scheduler } from "./scheduler.js";
import { StsEmulator } from "./sts-emulator.js";
import { CloudWatchEmulator } from "./cloudwatch-emulator.js";

/** What a signed request says about its sender: the access key and the region of its signature. */
export interface CallerCredentials {
  readonly accessKeyId?: string;
  readonly region?: string;
}

/** One CodePipeline call as received: with which credentials, for which region and account. */
export interface CallRecord {
  readonly operation: string;
  readonly pipelineName?: string;
  readonly accessKeyId?: string;
  readonly region: string;
  readonly account: string;
  /** The role whose AssumeRole credentials signed the call; absent for base credentials. */
  readonly roleArn?: string;
}

export interface EmulatorOptions {
  readonly pipelines?: readonly EmulatorPipeline[];
  /** How long each action takes; default 1000 ms. */
  readonly stepMs?: number;
  /** Real timers by default; "manual" (or a ManualScheduler) moves time only on advance()/tick(). */
  readonly scheduler?: Scheduler | "manual";
  readonly region?: string;
  readonly account?: string;
  /** Where to POST EventBridge-shaped state-change events. */
  readonly events?: EventTarget;
  /** CloudWatch alarms that exist from the start, in state OK. */
  readonly alarms?: readonly string[];
}

export interface EmulatorStats {
  /** AWS calls received per operation, including the ones answered with an injected fault. */
  readonly calls: Readonly<Record<string, number>>;
  readonly totalCalls: number;
  readonly throttled: number;
  readonly serverErrors: number;
  readonly executions: number;
  readonly eventsDelivered: number;
  readonly eventsFailed: number;
}

/** An in-memory CodePipeline: pipelines, executions that advance over time, and faults on demand. */
export class Emulator {
  readonly scheduler: Scheduler;
  readonly region: string;
  readonly account: string;
  /** STS AssumeRole, whose credentials later calls are matched against. */
  readonly sts: StsEmulator;
  /** CloudWatch alarms (DescribeAlarms), whose states the admin API sets. */
  readonly cloudwatch: CloudWatchEmulator;
  stepMs: number;
  private readonly pipelines = new Map<string, PipelineRuntime>();
  private readonly faults = new FaultInjector();
  private readonly events: EventPublisher;
  private calls: Record<string, number> = {};
  private throttled = 0;
  private serverErrors = 0;
  private records: CallRecord[] = [];

  constructor(options: EmulatorOptions = {}) {
    this.scheduler = options.scheduler === "manual" ? new ManualScheduler() : (options.scheduler ?? new RealScheduler());
    this.region = options.region ?? "us-east-1";
    this.account = options.account ?? "123456789012";
    this.stepMs = options.stepMs ?? 1000;
    this.events = new EventPublisher(this.region, this.account, options.events);
    this.sts = new StsEmulator();
    this.cloudwatch = new CloudWatchEmulator(options.alarms);
    for (const pipeline of options.pipelines ?? []) this.addPipeline(pipeline);
  }

  /** Adds or replaces a pipeline definition (replacing drops its executions). */
  addPipeline(pipeline: EmulatorPipeline): void {
    const definition = definePipeline(pipeline);
    const ctx = {
      scheduler: this.scheduler,
      faults: this.faults,
      events: this.events,
      region: this.region,
      account: this.account,
      stepMs: () => this.stepMs,
    };
    this.pipelines.set(definition.name, new PipelineRuntime(definition, ctx));
  }

  pipelineDefinitions(): PipelineDefinition[] {
    return [...this.pipelines.values()].map((r) => r.definition);
  }

  /**
   * Serves one CodePipeline operation. Throws AwsServiceError for answers that are errors. A
   * pipeline placed in an account or region is found only by callers whose credentials (an
   * assumed role's account, else the emulator's) and signing region are those.
   */
  call(operation: string, input: unknown, caller: CallerCredentials = {}): unknown {
    return this.serve(operation, input, caller, (fields) => this.codePipeline(operation, fields, caller));
  }

  /** Serves one CloudWatch operation, counted and faulted like the CodePipeline ones. */
  callCloudWatch(operation: string, input: unknown, caller: CallerCredentials = {}): unknown {
    return this.serve(operation, input, caller, (fields) => this.cloudwatch.call(operation, fields));
  }

  private serve(operation: string, input: unknown, caller: CallerCredentials, answer: (fields: Record<string, unknown>) => unknown): unknown {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
    const issued = caller.accessKeyId ? this.sts.identify(caller.accessKeyId) : undefined;
    const region = caller.region ?? this.region;
    const account = issued?.account ?? this.account;
    const fields = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
    const pipelineName = [fields.name, fields.pipelineName].find((v): v is string => typeof v === "string");
    this.records.push({
      operation,
      ...(pipelineName !== undefined ? { pipelineName } : {}),
      ...(caller.accessKeyId ? { accessKeyId: caller.accessKeyId } : {}),
      region,
      account,
      ...(issued ? { roleArn: issued.roleArn } : {}),
    });
    const fault = this.faults.callFault(operation);
    if (fault) {
      if (fault.status >= 500) this.serverErrors += 1;
      else this.throttled += 1;
      throw fault;
    }
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw new AwsServiceError("SerializationException", "Request body must be a JSON object");
    return answer(input as Record<string, unknown>);
  }

  private codePipeline(operation: string, input: Record<string, unknown>, caller: CallerCredentials): unknown {
    const handler = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
    if (!handler) throw new AwsServiceError("UnknownOperationException", `Operation ${operation} is not supported by the Whistlestop emulator`);
    const issued = caller.accessKeyId ? this.sts.identify(caller.accessKeyId) : undefined;
    const region = caller.region ?? this.region;
    const account = issued?.account ?? this.account;
    const visible = (runtime: PipelineRuntime): boolean =>
      (runtime.definition.account ?? account) === account && (runtime.definition.region ?? region) === region;
    return handler(
      {
        region,
        account,
        runtime: (name) => {
          const runtime = this.runtime(name, account);
          if (!visible(runtime)) throw notInAccount(account, name);
          return runtime;
        },
        runtimes: () => [...this.pipelines.values()].filter(visible),
      },
      input,
    );
  }

  /** A copy-free view of one pipeline's executions, oldest first (for tests and the admin API). */
  executions(pipelineName: string): readonly ExecutionRecord[] {
    return this.runtime(pipelineName).executions;
  }

  /** Manual scheduler only: moves time forward, running every step that falls due. */
  advance(ms: number): void {
    this.manual().advance(ms);
  }

  /** Manual scheduler only: runs the next pending step; false when nothing is pending. */
  tick(): boolean {
    return this.manual().tick();
  }

  /** Manual scheduler only: runs steps until nothing is pending (at most `maxSteps`). */
  runUntilIdle(maxSteps = 10_000): void {
    for (let i = 0; i < maxSteps && this.tick(); i += 1);
  }

  failStage(rule: StageFailure): void {
    this.faults.failStage(rule);
  }

  /** The next `count` calls (of `operation`, or any) get ThrottlingException. */
  throttleNext(count: number, operation?: string): void {
    this.faults.throttleNext(count, operation);
  }

  /** The next `count` calls (of `operation`, or any) get HTTP 500 InternalFailure. */
  failNext(count: number, operation?: string): void {
    this.faults.failNext(count, operation);
  }

  setChaos(settings: ChaosSettings): void {
    this.faults.setChaos(settings);
  }

  stats(): EmulatorStats {
    const calls = { ...this.calls };
    return {
      calls,
      totalCalls: Object.values(calls).reduce((sum, n) => sum + n, 0),
      throttled: this.throttled,
      serverErrors: this.serverErrors,
      executions: [...this.pipelines.values()].reduce((sum, r) => sum + r.executions.length, 0),
      eventsDelivered: this.events.delivered,
      eventsFailed: this.events.failed,
    };
  }

  /** Every CodePipeline call so far, oldest first, with the credentials and region it carried. */
  callRecords(): readonly CallRecord[] {
    return [...this.records];
  }

  resetStats(): void {
    this.calls = {};
    this.records = [];
    this.sts.forgetCalls();
    this.throttled = 0;
    this.serverErrors = 0;
    this.events.delivered = 0;
    this.events.failed = 0;
  }

  clearFaults(): void {
    this.faults.reset();
  }

  /** Counters, faults, executions and transitions back to a fresh start; pipelines stay defined. */
  reset(): void {
    this.resetStats();
    this.clearFaults();
    this.cloudwatch.reset();
    this.scheduler.cancelAll();
    for (const runtime of [...this.pipelines.values()]) this.addPipeline(toEmulatorPipeline(runtime.definition));
  }

  onEvent(listener: (event: PipelineEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  setEventTarget(target: EventTarget | undefined): void {
    this.events.setTarget(target);
  }

  /** Resolves once every event published so far has been POSTed. */
  flushEvents(): Promise<void> {
    return this.events.flush();
  }

  close(): void {
    this.scheduler.cancelAll();
  }

  private runtime(name: string, account = this.account): PipelineRuntime {
    const runtime = this.pipelines.get(name);
    if (!runtime) throw notInAccount(account, name);
    return runtime;
  }

  private manual(): ManualScheduler {
    if (!(this.scheduler instanceof ManualScheduler)) throw new Error("emulator: advance()/tick() need the manual scheduler (scheduler: \"manual\")");
    return this.scheduler;
  }
}

const notInAccount = (account: string, name: string): AwsServiceError =>
  new AwsServiceError("PipelineNotFoundException", `Account '${account}' does not have a pipeline with name '${name}'`);

function toEmulatorPipeline(definition: PipelineDefinition): EmulatorPipeline {
  const bake = definition.stages.find((s) => s.actions.some((a) => a.outputsImage));
  return {
    name: definition.name,
    stages: definition.stages.map((s) => ({ name: s.name, actions: s.actions.map((a) => a.name) })),
    variables: definition.variables,
    ...(bake ? { bakeStage: bake.name } : {}),
    ...(definition.repo ? { repo: definition.repo } : {}),
    ...(definition.account ? { account: definition.account } : {}),
    ...(definition.region ? { region: definition.region } : {}),
  };
}
