import { webApi } from "@slack/bolt";
import type { Logger as BoltLogger } from "@slack/bolt";
import { SlackRefusedError, type PostOptions, type SlackApi, type SlackMessage, type SlackReply } from "./slack-api.js";

export interface WebClientSlackApiOptions {
  readonly botToken: string;
  /** SLACK_API_URL: tests and proxies; default https://slack.com/api/. */
  readonly apiUrl?: string;
  /** Waits out a 429's Retry-After; injected so tests see the delay without spending it. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** How many 429s in a row one call sits out before giving up; default 5. */
  readonly maxRateLimitRetries?: number;
  /** Retries of network errors and 5xx (not 429s); default 3 with backoff from 200 ms. */
  readonly retries?: number;
  readonly logger?: BoltLogger;
  readonly fetch?: typeof fetch;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * SlackApi over @slack/web-api. Rate limits are handled here rather than inside the WebClient so
 * that the Retry-After wait goes through an injectable sleep; network errors and 5xx keep the
 * WebClient's own short retry policy.
 */
export class WebClientSlackApi implements SlackApi {
  private readonly client: webApi.WebClient;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: WebClientSlackApiOptions) {
    this.client = new webApi.WebClient(options.botToken, {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: options.retries ?? 3, factor: 2, minTimeout: 200, maxTimeout: 2_000, randomize: true },
      timeout: 10_000,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.sleep = options.sleep ?? realSleep;
    this.fetchFn = options.fetch ?? fetch;
  }

  async postMessage(channel: string, message: SlackMessage, options: PostOptions = {}): Promise<{ channel: string; ts: string }> {
    // The SDK's argument type is a union over threading options that spreads cannot satisfy.
    const args = {
      channel,
      text: message.text,
      ...(message.blocks ? { blocks: [...message.blocks] } : {}),
      ...(options.threadTs ? { thread_ts: options.threadTs, reply_broadcast: options.broadcast ?? false } : {}),
      unfurl_links: false,
      unfurl_media: false,
    } as webApi.ChatPostMessageArguments;
    const result = await this.call("chat.postMessage", () => this.client.chat.postMessage(args));
    if (!result.ts) throw new SlackRefusedError("no_ts_in_response", "chat.postMessage");
    return { channel: result.channel ?? channel, ts: result.ts };
  }

  async updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await this.call("chat.update", () => this.client.chat.update({ channel, ts, text: message.text, ...(message.blocks ? { blocks: [...message.blocks] } : {}) }));
  }

  async postEphemeral(channel: string, user: string, message: SlackMessage): Promise<void> {
    await this.call("chat.postEphemeral", () =>
      this.client.chat.postEphemeral({ channel, user, text: message.text, ...(message.blocks ? { blocks: [...message.blocks] } : {}) }),
    );
  }

  async respond(responseUrl: string, reply: SlackReply): Promise<void> {
    const body = JSON.stringify({
      text: reply.text,
      ...(reply.blocks ? { blocks: reply.blocks } : {}),
      response_type: reply.responseType ?? "ephemeral",
      replace_original: reply.replaceOriginal ?? false,
    });
    const attempts = (this.options.maxRateLimitRetries ?? 5) + 1;
    for (let attempt = 1; ; attempt++) {
      const response = await this.fetchFn(responseUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body, redirect: "error", signal: AbortSignal.timeout(10_000) });
      if (response.status === 429 && attempt < attempts) {
        await response.body?.cancel();
        await this.sleep(retryAfterMs(response.headers.get("retry-after")));
        continue;
      }
      const text = await response.text();
      if (!response.ok) throw new SlackRefusedError(`http_${response.status}${text ? `: ${text.slice(0, 100)}` : ""}`, "response_url");
      return;
    }
  }

  /** Runs a Web API call, sitting out 429s for as long as Slack asks; platform errors become SlackRefusedError. */
  private async call<T>(method: string, run: () => Promise<T>): Promise<T> {
    const limit = this.options.maxRateLimitRetries ?? 5;
    for (let retries = 0; ; retries++) {
      try {
        return await run();
      } catch (error) {
        if (error instanceof webApi.WebAPIRateLimitedError && retries < limit) {
          await this.sleep(Math.max(1, error.retryAfter) * 1000);
          continue;
        }
        if (error instanceof webApi.WebAPIPlatformError) throw new SlackRefusedError(error.data.error, method);
        throw error;
      }
    }
  }
}

function retryAfterMs(header: string | null): number {
  const seconds = Number.parseInt(header ?? "", 10);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000;
}
