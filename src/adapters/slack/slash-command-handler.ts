import type { CommandRunner } from "../../core/commands/command-runner.js";
import { VERBS, type Verb } from "../../core/commands/command.js";
import type { Clock } from "../../core/ports/clock.js";
import type { RequestContext } from "../../core/commands/request-context.js";
import type { PeopleDirectory } from "../../core/identity/people-directory.js";
import type { PinoLike } from "./bolt-logger.js";
import { replyForResult } from "./command-reply.js";
import { answerIdentityCommand, type IdentityCommandDeps } from "./identity-commands.js";
import { replyToUser } from "./reply-to-user.js";
import type { SlackApi } from "./slack-api.js";
import { slackActor } from "./slack-actor.js";
import { commandTextFromSlack } from "./slack-text.js";

/** The fields of a slash command Whistlestop uses; Bolt's payload stops at the listener. */
export interface SlashCommand {
  /** "/deploy", "/rollback", … */
  readonly command: string;
  readonly text: string;
  readonly userId: string;
  readonly userName?: string;
  /** The workspace it came from (absent on requests recorded before it was kept). */
  readonly teamId?: string;
  readonly channelId: string;
  readonly triggerId?: string;
  readonly responseUrl?: string;
}

export interface SlashCommandDeps {
  readonly runner: Pick<CommandRunner, "runText">;
  readonly directory: PeopleDirectory;
  /** `/deploy link`, `unlink`, `token`, `tokens`. */
  readonly identity: IdentityCommandDeps;
  readonly api: SlackApi;
  readonly logger: PinoLike;
  readonly newNonce: () => string;
  /** When a confirmation prompt is shown, so that it expires. */
  readonly clock: Clock;
}

/** `/deploy` → deploy, `/rollback` → rollback…; a command registered under another name deploys. */
export function verbForCommand(command: string): Verb {
  const name = command.replace(/^\//, "").toLowerCase();
  return VERBS.find((verb) => verb === name) ?? "deploy";
}

/**
 * Runs a slash command after its ack: the Slack user becomes an Actor, the text goes through the
 * same parser and policies as every surface, and the result is answered.
 */
export class SlashCommandHandler {
  constructor(private readonly deps: SlashCommandDeps) {}

  async handle(command: SlashCommand): Promise<void> {
    const verb = verbForCommand(command.command);
    const text = commandTextFromSlack(command.text);
    const user = { teamId: command.teamId ?? "", userId: command.userId };
    const target = { userId: command.userId, channelId: command.channelId, ...(command.responseUrl ? { responseUrl: command.responseUrl } : {}) };
    try {
      const answer = verb === "deploy" ? await answerIdentityCommand(this.deps.identity, text, user) : undefined;
      if (answer !== undefined) return await replyToUser(this.deps.api, target, { responseType: "ephemeral", text: answer });
    } catch (error) {
      this.deps.logger.warn({ err: error, command: command.command, user: command.userId }, "could not answer a Slack identity command");
      return;
    }
    const person = await this.deps.directory.resolve(user);
    const actor = slackActor(person.login, command.userId, command.userName, command.teamId);
    const context: RequestContext = {
      actor,
      slackChannel: command.channelId,
      // Slack does not retry slash commands, but a proxy or a double submit might.
      ...(command.triggerId ? { idempotencyKey: `slack:trigger:${command.triggerId}` } : {}),
    };
    try {
      const result = await this.deps.runner.runText(text, context, { defaultVerb: verb });
      const reply = replyForResult(result, { actor, prompt: { nonce: this.deps.newNonce(), askedAt: this.deps.clock.now().getTime() } });
      if (reply) await replyToUser(this.deps.api, target, reply);
    } catch (error) {
      this.deps.logger.warn({ err: error, command: command.command, user: command.userId }, "could not answer a Slack command");
    }
  }
}
