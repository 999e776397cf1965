import type { ChangeSetBuilder } from "../changes/change-set-builder.js";
import type { WhistlestopConfig } from "../model/config.js";
import type { DeployOrchestrator } from "../orchestrator/deploy-orchestrator.js";
import type { Clock, IdGenerator } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { Pipeline } from "../ports/pipeline.js";
import type { Identity, SourceControl } from "../ports/source-control.js";
import type { Store } from "../ports/store.js";

/** What the command handlers need; built once by src/app/compose.ts. */
export interface CommandDeps {
  readonly config: WhistlestopConfig;
  readonly store: Store;
  readonly orchestrator: DeployOrchestrator;
  readonly pipeline: Pipeline;
  readonly sourceControl: SourceControl;
  readonly identity: Identity;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** The app's one builder, so `diff` shares the cache of comparisons every deploy's change set fills. */
  readonly changeSetBuilder: Pick<ChangeSetBuilder, "between">;
  /** Called after a lock is taken or released (hard freezes follow locks). */
  readonly onLocksChanged?: () => void;
}
