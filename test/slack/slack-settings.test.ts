import { SocketModeReceiver } from "@slack/bolt";
import { boltLogger } from "../../src/adapters/slack/bolt-logger.js";
import { createSlackTransport } from "../../src/adapters/slack/create-slack-transport.js";
import { SlackMountReceiver } from "../../src/adapters/slack/slack-mount-receiver.js";
import { slackSettingsFromEnv } from "../../src/adapters/slack/slack-settings.js";

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const deps = { now: () => Date.now(), logger: boltLogger(quiet) };

describe("Slack settings from the environment", () => {
  test("nothing set: off", () => {
    expect(slackSettingsFromEnv({})).toEqual({ kind: "off" });
  });

  test("half the settings: a problem naming every missing variable, never just off", () => {
    expect(slackSettingsFromEnv({ SLACK_BOT_TOKEN: "xoxb-1" })).toEqual({
      kind: "invalid",
      problems: [expect.stringContaining("SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode) is missing")],
    });
    expect(slackSettingsFromEnv({ SLACK_SIGNING_SECRET: "s" })).toEqual({ kind: "invalid", problems: [expect.stringContaining("SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN (xoxb-…) is missing")] });
    expect(slackSettingsFromEnv({ SLACK_APP_TOKEN: "xapp-1", SLACK_SIGNING_SECRET: "s" })).toEqual({
      kind: "invalid",
      problems: [expect.stringContaining("SLACK_SIGNING_SECRET and SLACK_APP_TOKEN are set but SLACK_BOT_TOKEN")],
    });
  });

  test("SLACK_TEAM_ID: a comma list of workspace ids; malformed ids, or the list without Slack, are problems", () => {
    const on = slackSettingsFromEnv({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", SLACK_TEAM_ID: " T0WHISTLE, T0OTHER ,T0WHISTLE" });
    expect(on.kind === "on" && on.settings.teamIds).toEqual(["T0WHISTLE", "T0OTHER"]);
    expect(slackSettingsFromEnv({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", SLACK_TEAM_ID: "T0WHISTLE,whistlestop-demo" })).toEqual({
      kind: "invalid",
      problems: [expect.stringContaining('"whistlestop-demo" is not one')],
    });
    expect(slackSettingsFromEnv({ SLACK_TEAM_ID: "T0WHISTLE" })).toEqual({ kind: "invalid", problems: [expect.stringContaining("SLACK_TEAM_ID is set but Slack is not")] });
  });

  test("bot token + signing secret: HTTP; SLACK_API_URL and GHE_HOST are honoured", () => {
    const result = slackSettingsFromEnv({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", SLACK_API_URL: "http://127.0.0.1:9/api/", GHE_HOST: "ghe.example.org" });
    expect(result).toEqual({ kind: "on", settings: { botToken: "xoxb-1", signingSecret: "s", apiUrl: "http://127.0.0.1:9/api/", githubUrl: "https://ghe.example.org", teamIds: [] } });
  });

  test("an app token chooses Socket Mode (Bolt's SocketModeReceiver) and mounts nothing over HTTP", () => {
    const result = slackSettingsFromEnv({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", SLACK_SIGNING_SECRET: "s" });
    if (result.kind !== "on") throw new Error("expected Slack settings");
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
