import { randomUUID } from "node:crypto";

export type PipelineEventKind = "Pipeline Execution" | "Stage Execution" | "Action Execution";

/** An EventBridge event as CodePipeline emits it ("CodePipeline … State Change"). */
export interface PipelineEvent {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": `CodePipeline ${PipelineEventKind} State Change`;
  readonly source: "aws.codepipeline";
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>> & {
    readonly pipeline: string;
    readonly "execution-id": string;
    readonly state: string;
    readonly version: number;
  };
}

export interface EventTarget {
  /** Where events are POSTed, e.g. http://127.0.0.1:3000/api/pipeline-events. */
  readonly url: string;
  /** Sent as X-Whistlestop-Token (what an EventBridge API destination's connection would add). */
  readonly token?: string;
}

type Listener = (event: PipelineEvent) => void;

/** Hands events to in-process listeners at once and POSTs them, in order, to the configured target. */
export class EventPublisher {
  private readonly listeners = new Set<Listener>();
  private delivery: Promise<void> = Promise.resolve();
  delivered = 0;
  failed = 0;

  constructor(
    private readonly region: string,
    private readonly account: string,
    private target: EventTarget | undefined,
  ) {}

  setTarget(target: EventTarget | undefined): void {
    this.target = target;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `home`: the pipeline's own account and region, when it has them (events come from there). */
  publish(kind: PipelineEventKind, at: number, detail: PipelineEvent["detail"], home: { readonly region?: string; readonly account?: string } = {}): void {
    if (this.listeners.size === 0 && !this.target) return;
    const region = home.region ?? this.region;
    const account = home.account ?? this.account;
    const event: PipelineEvent = {
      version: "0",
      id: randomUUID(),
      "detail-type": `CodePipeline ${kind} State Change`,
      source: "aws.codepipeline",
      account,
      time: new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z"),
      region,
      resources: [`arn:aws:codepipeline:${region}:${account}:${detail.pipeline}`],
      detail,
    };
    for (const listener of this.listeners) listener(event);
    const target = this.target;
    if (target) this.delivery = this.delivery.then(() => this.post(target, event));
  }

  /** Resolves when every event published so far has been delivered (or has failed). */
  flush(): Promise<void> {
    return this.delivery;
  }

  private async post(target: EventTarget, event: PipelineEvent): Promise<void> {
    try {
      const response = await fetch(target.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(target.token ? { "x-whistlestop-token": target.token } : {}) },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(5000),
      });
      await response.arrayBuffer();
      if (response.ok) this.delivered += 1;
      else this.failed += 1;
    } catch {
      // A receiver that is down must not stop the pipeline; EventBridge would drop the event too.
      this.failed += 1;
    }
  }
}
