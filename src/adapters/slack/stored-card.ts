import type { Deploy } from "../../core/model/deploy.js";

/** Where a deploy's Slack card is, as the store remembers it (for replies in its thread). */
export interface StoredCard {
  readonly channel: string;
  readonly ts: string;
}

export function storedCard(deploy: Deploy | undefined): StoredCard | undefined {
  return deploy?.slackChannel && deploy.slackTs ? { channel: deploy.slackChannel, ts: deploy.slackTs } : undefined;
}
