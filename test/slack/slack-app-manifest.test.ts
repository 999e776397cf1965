import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { verbForCommand } from "../../src/adapters/slack/slash-command-handler.js";

const manifest = parse(readFileSync(new URL("../../slack-app.yml", import.meta.url), "utf8")) as {
  features: { slash_commands: Array<{ command: string; url: string }>; app_home: { messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string }; socket_mode_enabled: boolean };
};

describe("slack-app.yml stays true to the code", () => {
  test("the five slash commands, each mapped to its own verb, all at /slack/events", () => {
    const commands = manifest.features.slash_commands;
    expect(commands.map((c) => c.command)).toEqual(["/deploy", "/rollback", "/lock", "/unlock", "/deploys"]);
    expect(commands.map((c) => verbForCommand(c.command))).toEqual(["deploy", "rollback", "lock", "unlock", "deploys"]);
    for (const command of commands) expect(new URL(command.url).pathname).toBe("/slack/events");
  });

  test("interactivity on at the same endpoint; only the scopes Whistlestop uses", () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe("/slack/events");
    expect(manifest.oauth_config.scopes.bot).toEqual(["commands", "chat:write"]);
  });

  test("lock reminders reach people: the app's Messages tab is on, read-only (answers are buttons)", () => {
    expect(manifest.features.app_home).toMatchObject({ messages_tab_enabled: true, messages_tab_read_only_enabled: true });
  });
});
