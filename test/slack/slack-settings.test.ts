import { SocketModeReceiver } from "@slack/bolt";
import { boltLogger } from "../../src/adapters/slack/bolt-logger.js";
import { createSlackTransport } from "../../src/adapters/slack/create-slack-transport.js";
import { SlackMountReceiver } from "../../src/adapters/slack/slack-mount-receiver.js";
import { slackSettingsFromEnv } from "../../src/adapters/slack/slack-settings.js";
import { slackSurfaceFromEnv } from "../../src/adapters/slack/slack-surface-from-env.js";

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const deps = { now: () => Date.now(), logger: boltLogger(quiet) };

describe("Slack settings from the environment", () => {
  test("nothing set: off, with a line saying how to turn it on", () => {
    const lines: string[] = [];
    expect(slackSurfaceFromEnv({}, { info: (_f, m) => lines.push(`info ${m}`), warn: (_f, m) => lines.push(`warn ${m}`) })).toBeUndefined();
    expect(lines).toEqual([expect.stringMatching(/^info Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET/)]);
  });

  test("half the settings: off, and a warning naming what is missing", () => {
    expect(slackSettingsFromEnv({ SLACK_BOT_TOKEN: "xoxb-1" })).toMatchObject({ enabled: false, problem: true, message: expect.stringContaining("SLACK_SIGNING_SECRET is missing") });
    expect(slackSettingsFromEnv({ SLACK_SIGNING_SECRET: "s" })).toMatchObject({ enabled: false, problem: true, message: expect.stringContaining("SLACK_BOT_TOKEN") });
    expect(slackSettingsFromEnv({ SLACK_APP_TOKEN: "xapp-1" })).toMatchObject({ enabled: false, problem: true });
  });

  test("bot token + signing secret: HTTP; SLACK_API_URL and GHE_HOST are honoured", () => {
    const result = slackSettingsFromEnv({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", SLACK_API_URL: "http://127.0.0.1:9/api/", GHE_HOST: "ghe.example.org" });
    expect(result).toEqual({ enabled: true, settings: { botToken: "xoxb-1", signingSecret: "s", apiUrl: "http://127.0.0.1:9/api/", githubUrl: "https://ghe.example.org" } });
  });

  test("an app token chooses Socket Mode (Bolt's SocketModeReceiver) and mounts nothing over HTTP", () => {
    const result = slackSettingsFromEnv({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", SLACK_SIGNING_SECRET: "s" });
    if (!result.enabled) throw new Error(result.message);
    const transport = createSlackTransport(result.settings, deps);
    expect(transport.kind).toBe("socket");
    expect(transport.receiver).toBeInstanceOf(SocketModeReceiver);
  });

  test("without an app token the receiver is the mount on our own server", () => {
    const transport = createSlackTransport({ signingSecret: "s" }, deps);
    expect(transport.kind).toBe("http");
    expect(transport.receiver).toBeInstanceOf(SlackMountReceiver);
  });
});
