import type { Deploy } from "../model/deploy.js";
import type { TimeoutSource } from "../watchdog/stage-timeout.js";

/** What the watchdog found wrong with a running deploy. */
export type DeployWarning =
  /** A stage has run longer than its timeout. */
  | { readonly kind: "stage_timeout"; readonly stage: string; readonly runningMs: number; readonly timeoutMs: number; readonly source: TimeoutSource }
  /** Nothing could be read about the deploy's progress for `silentMs` (since `since`). */
  | { readonly kind: "silent"; readonly silentMs: number; readonly since: string };

/**
 * Where the watchdog's warnings are shown (the Slack thread of the deploy's card). The watchdog
 * calls it once per warning across replicas and restarts; it throws only when it should be asked
 * again, which it will not be: a warner logs what it could not deliver.
 */
export interface DeployWarner {
  warn(deploy: Deploy, warning: DeployWarning): Promise<void>;
}
