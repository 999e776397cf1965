import { SocketModeReceiver, type Logger as BoltLogger } from "@slack/bolt";
import { SlackMountReceiver } from "./slack-mount-receiver.js";
import type { SlackSettings } from "./slack-settings.js";

export type SlackTransport =
  | { readonly kind: "http"; readonly receiver: SlackMountReceiver }
  | { readonly kind: "socket"; readonly receiver: SocketModeReceiver };

export interface SlackTransportDeps {
  readonly now: () => number;
  readonly logger: BoltLogger;
  readonly onRejected?: (reason: string) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * Socket Mode when an app token is set (no public URL needed); otherwise a mount on the shared
 * server at POST /slack/events with our own signature check.
 */
export function createSlackTransport(settings: Pick<SlackSettings, "appToken" | "signingSecret" | "apiUrl">, deps: SlackTransportDeps): SlackTransport {
  if (settings.appToken) {
    return {
      kind: "socket",
      receiver: new SocketModeReceiver({
        appToken: settings.appToken,
        logger: deps.logger,
        // apps.connections.open goes where the rest of the Web API goes.
        installerOptions: settings.apiUrl ? { clientOptions: { slackApiUrl: settings.apiUrl } } : {},
      }),
    };
  }
  if (!settings.signingSecret) throw new Error("Slack over HTTP needs SLACK_SIGNING_SECRET");
  return {
    kind: "http",
    receiver: new SlackMountReceiver({
      signingSecret: settings.signingSecret,
      now: deps.now,
      ...(deps.onRejected ? { onRejected: deps.onRejected } : {}),
      ...(deps.onError ? { onError: deps.onError } : {}),
    }),
  };
}
