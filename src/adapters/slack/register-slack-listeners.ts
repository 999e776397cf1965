import { randomUUID } from "node:crypto";
import type { AckFn, App, RespondArguments } from "@slack/bolt";
import { STORE_UNAVAILABLE_MESSAGE } from "../../core/commands/store-unavailable.js";
import type { RequestInbox } from "../../ports/request-inbox.js";
import type { PinoLike } from "./bolt-logger.js";
import type { ButtonClick, ButtonClickHandler } from "./button-click-handler.js";
import type { SlackApi } from "./slack-api.js";
import type { SlashCommand, SlashCommandHandler } from "./slash-command-handler.js";
import type { WorkQueue } from "./work-queue.js";
import { slackTeamIdOf } from "./workspace-guard.js";

export interface SlackListenerDeps {
  readonly commands: SlashCommandHandler;
  readonly clicks: ButtonClickHandler;
  readonly work: WorkQueue;
  readonly inbox: RequestInbox;
  readonly api: SlackApi;
  readonly logger: PinoLike;
}

const COMMAND = "slack.command";
const CLICK = "slack.click";

/**
 * The only place Bolt's listener arguments are read. Each request becomes a plain object, is
 * recorded in the inbox, and only then acknowledged: Slack gives three seconds and never sends
 * an acknowledged request again, so from the ack on the inbox is what makes sure it is worked
 * on, after a crash too. The work itself waits its turn in the work queue, behind the acks.
 */
export function registerSlackListeners(app: App, deps: SlackListenerDeps): void {
  const { inbox, work } = deps;
  const runCommand = (command: SlashCommand) => work.run(() => deps.commands.handle(command));
  const runClick = (click: ButtonClick) => work.run(() => deps.clicks.handle(click));
  inbox.handle(COMMAND, (payload) => runCommand(payload as SlashCommand));
  inbox.handle(CLICK, (payload) => runClick(payload as ButtonClick));

  app.command(/^\/.+/, async ({ command, ack }) => {
    const request: SlashCommand = {
      command: command.command,
      text: command.text ?? "",
      userId: command.user_id,
      ...(command.user_name ? { userName: command.user_name } : {}),
      ...teamOf(command),
      channelId: command.channel_id,
      ...(command.trigger_id ? { triggerId: command.trigger_id } : {}),
      ...(command.response_url ? { responseUrl: command.response_url } : {}),
    };
    const key = `slack:command:${command.trigger_id || randomUUID()}`;
    await acceptAndWork(deps, { key, kind: COMMAND, request, run: () => runCommand(request) }, {
      ack: () => ack(),
      // A slash command's ack may carry the answer itself.
      refuse: () => ack({ response_type: "ephemeral", text: STORE_UNAVAILABLE_MESSAGE } as RespondArguments),
    });
  });

  app.action(/^whistlestop_/, async ({ body, action, ack }) => {
    if (body.type !== "block_actions" || action.type !== "button" || !("action_id" in action)) return void (await ack());
    const channelId = body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id;
    const userName = body.user.username ?? body.user.name;
    const click: ButtonClick = {
      actionId: action.action_id,
      ...(action.value !== undefined ? { value: action.value } : {}),
      userId: body.user.id,
      ...(userName ? { userName } : {}),
      ...teamOf(body),
      ...(channelId ? { channelId } : {}),
      ...(body.response_url ? { responseUrl: body.response_url } : {}),
    };
    const key = `slack:click:${body.trigger_id || `${action.action_ts}:${body.user.id}:${action.action_id}`}`;
    await acceptAndWork(deps, { key, kind: CLICK, request: click, run: () => runClick(click) }, {
      ack: () => (ack as AckFn<void>)(),
      // A click's ack carries no message: the refusal goes to the clicker afterwards.
      refuse: async () => {
        await (ack as AckFn<void>)();
        if (click.responseUrl) await deps.api.respond(click.responseUrl, { responseType: "ephemeral", text: STORE_UNAVAILABLE_MESSAGE, replaceOriginal: false }).catch(() => undefined);
      },
    });
  });
}

function teamOf(body: unknown): { teamId?: string } {
  const teamId = slackTeamIdOf(body);
  return teamId ? { teamId } : {};
}

async function acceptAndWork(
  deps: SlackListenerDeps,
  { key, kind, request, run }: { key: string; kind: string; request: SlashCommand | ButtonClick; run: () => Promise<void> },
  answer: { ack: () => Promise<void>; refuse: () => Promise<void> },
): Promise<void> {
  deps.work.noteArrival();
  let accepted: Awaited<ReturnType<RequestInbox["accept"]>>;
  try {
    accepted = await deps.inbox.accept(key, kind, request);
  } catch (error) {
    // Fail closed, out loud: nothing is recorded, so nothing may be done.
    deps.logger.warn({ err: error, key }, "could not record a Slack request; told the user nothing was done");
    return answer.refuse();
  }
  await answer.ack();
  if (accepted === "accepted") return void (await deps.inbox.work(key, kind, request));
  // A copy of a request accepted before (a proxy's retry, a double submit) is answered with what
  // became of the first; the handlers are idempotent, so it changes nothing.
  await run();
}
