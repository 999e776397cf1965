import type { App } from "@slack/bolt";
import type { ButtonClickHandler } from "./button-click-handler.js";
import type { SlashCommandHandler } from "./slash-command-handler.js";
import type { WorkQueue } from "./work-queue.js";

/**
 * The only place Bolt's listener arguments are read: each is turned into a plain request and the
 * HTTP answer (ack) goes out before any work starts — Slack gives three seconds, deploys take longer.
 */
export function registerSlackListeners(app: App, handlers: { commands: SlashCommandHandler; clicks: ButtonClickHandler; work: WorkQueue }): void {
  app.command(/^\/.+/, async ({ command, ack }) => {
    handlers.work.noteArrival();
    await ack();
    await handlers.work.run(() => handlers.commands.handle({
      command: command.command,
      text: command.text ?? "",
      userId: command.user_id,
      ...(command.user_name ? { userName: command.user_name } : {}),
      channelId: command.channel_id,
      ...(command.trigger_id ? { triggerId: command.trigger_id } : {}),
      ...(command.response_url ? { responseUrl: command.response_url } : {}),
    }));
  });

  app.action(/^whistlestop_/, async ({ body, action, ack }) => {
    handlers.work.noteArrival();
    await ack();
    if (body.type !== "block_actions" || action.type !== "button" || !("action_id" in action)) return;
    const channelId = body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id;
    const userName = body.user.username ?? body.user.name;
    await handlers.work.run(() => handlers.clicks.handle({
      actionId: action.action_id,
      ...(action.value !== undefined ? { value: action.value } : {}),
      userId: body.user.id,
      ...(userName ? { userName } : {}),
      ...(channelId ? { channelId } : {}),
      ...(body.response_url ? { responseUrl: body.response_url } : {}),
    }));
  });
}
