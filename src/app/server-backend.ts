import type { ApiToken } from "../adapters/http/api-tokens.js";
import type { Alarms } from "../core/ports/alarms.js";
import type { Pipeline } from "../core/ports/pipeline.js";
import type { SourceControl } from "../core/ports/source-control.js";

/** What differs between `whistlestop start` and `whistlestop sandbox`; the rest of the server is the same. */
export interface ServerBackend {
  readonly pipeline: Pipeline;
  /** CloudWatch alarms, for deploys verified by them (verify). */
  readonly alarms: Alarms;
  /** Refs when no GitHub App is configured. */
  readonly sourceControl: SourceControl;
  readonly apiTokens: readonly ApiToken[];
  /** Tells the person who started it, once the server listens, where it is and what to try. */
  announce(url: string): Promise<void>;
  close(): Promise<void>;
}
