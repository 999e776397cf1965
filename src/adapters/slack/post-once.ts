import type { Clock } from "../../core/ports/clock.js";
import type { Store } from "../../core/ports/store.js";
import type { Logger } from "../../core/ports/logger.js";
import { SlackRefusedError, type PostOptions, type SlackApi, type SlackMessage } from "./slack-api.js";

export interface OncePosterDeps {
  readonly api: Pick<SlackApi, "postMessage">;
  readonly store: Pick<Store, "recordKey">;
  readonly clock: Clock;
  readonly logger: Pick<Logger, "warn">;
}

/**
 * Posts a message at most once per key across replicas and restarts: the store records the key
 * before the post, so whichever replica records it first is the only one that posts. A post that
 * failed for a reason worth retrying (Slack down after the client's retries) is remembered by this
 * process and posted when asked again; Slack refusing it for good (not_in_channel) is logged.
 */
export class OncePoster {
  private readonly unposted = new Set<string>();

  constructor(private readonly deps: OncePosterDeps) {}

  /** Resolves once posted, refused, or known to be another post's; throws when it should be tried again. */
  async post(key: string, channel: string, message: SlackMessage, options: PostOptions = {}, about: Record<string, unknown> = {}): Promise<void> {
    const { store, api, clock, logger } = this.deps;
    if (!this.unposted.has(key) && !(await store.recordKey(key, clock.now()))) return;
    this.unposted.add(key);
    try {
      await api.postMessage(channel, message, options);
      this.unposted.delete(key);
    } catch (error) {
      if (!(error instanceof SlackRefusedError)) throw error;
      this.unposted.delete(key);
      logger.warn({ ...about, code: error.code }, "Slack refused a message");
    }
  }
}
