import type { CommandResult } from "../../core/commands/command-result.js";
import type { CommandService } from "../../core/commands/command-service.js";
import type { Verb } from "../../core/commands/command.js";
import { shortSha } from "../../core/commands/deploy-view.js";
import type { RequestContext } from "../../core/commands/request-context.js";
import type { Actor } from "../../core/model/actor.js";
import type { PeopleDirectory } from "../../core/identity/people-directory.js";
import type { Clock } from "../../core/ports/clock.js";
import type { Store } from "../../core/ports/store.js";
import { ACTION, decodeConfirmValue, type ConfirmValue } from "./action-ids.js";
import type { PinoLike } from "./bolt-logger.js";
import { confirmedText, replyForResult } from "./command-reply.js";
import { replyToUser, type ReplyTarget } from "./reply-to-user.js";
import type { SlackApi, SlackReply } from "./slack-api.js";
import { slackActor } from "./slack-actor.js";
import { escapeMrkdwn } from "./slack-text.js";

/** The fields of a button click Whistlestop uses. */
export interface ButtonClick {
  readonly actionId: string;
  readonly value?: string;
  readonly userId: string;
  readonly userName?: string;
  /** The workspace it came from (absent on requests recorded before it was kept). */
  readonly teamId?: string;
  readonly channelId?: string;
  readonly responseUrl?: string;
}

export interface ButtonClickDeps {
  readonly runner: Pick<CommandService, "runText" | "cancelById">;
  readonly store: Pick<Store, "recordKey" | "getDeploy" | "listSucceeded" | "listDeploys">;
  readonly directory: PeopleDirectory;
  readonly api: SlackApi;
  readonly clock: Clock;
  readonly logger: PinoLike;
  readonly newNonce: () => string;
}

const ephemeral = (text: string): SlackReply => ({ responseType: "ephemeral", text });

/**
 * A click runs the same command through the same policies, with the clicker as the actor.
 * Every button does its thing at most once: a second click, or one on a card whose deploy has
 * moved on, answers why and changes nothing.
 */
export class ButtonClickHandler {
  constructor(private readonly deps: ButtonClickDeps) {}

  async handle(click: ButtonClick): Promise<void> {
    const target: ReplyTarget = { userId: click.userId, ...(click.channelId ? { channelId: click.channelId } : {}), ...(click.responseUrl ? { responseUrl: click.responseUrl } : {}) };
    try {
      const person = await this.deps.directory.resolve({ teamId: click.teamId ?? "", userId: click.userId });
      const actor = slackActor(person.login, click.userId, click.userName, click.teamId);
      const reply = await this.answer(click, actor);
      if (reply) await replyToUser(this.deps.api, target, reply);
    } catch (error) {
      this.deps.logger.warn({ err: error, action: click.actionId, user: click.userId }, "could not answer a Slack button click");
    }
  }

  private async answer(click: ButtonClick, actor: Actor): Promise<SlackReply | undefined> {
    switch (click.actionId) {
      case ACTION.confirm:
        return this.confirm(click, actor);
      case ACTION.dismiss:
        return this.dismiss(click);
      case ACTION.cancelDeploy:
        return this.cancelDeploy(click, actor);
      case ACTION.rollback:
        return this.rollback(click, actor);
      default:
        return ephemeral("That button is not Whistlestop's, or comes from an older version; nothing was done.");
    }
  }

  /** The first answer to a prompt wins, whichever button it was. */
  private async firstAnswer(prompt: ConfirmValue): Promise<boolean> {
    return this.deps.store.recordKey(`slack:prompt:${prompt.nonce}`, this.deps.clock.now().toISOString());
  }

  private async confirm(click: ButtonClick, actor: Actor): Promise<SlackReply> {
    const prompt = decodeConfirmValue(click.value);
    if (!prompt) return ephemeral("This prompt could not be read; nothing was deployed. Type the command again.");
    if (!(await this.firstAnswer(prompt))) return ephemeral("This prompt was already answered; nothing was done twice.");
    const context: RequestContext = {
      actor,
      ...(click.channelId ? { slackChannel: click.channelId } : {}),
      idempotencyKey: prompt.key ?? `slack:confirm:${prompt.nonce}`,
    };
    const result = await this.deps.runner.runText(`${prompt.text} --yes`, context, { defaultVerb: prompt.verb as Verb });
    return { responseType: "ephemeral", replaceOriginal: true, text: confirmedText(result, actor) };
  }

  private async dismiss(click: ButtonClick): Promise<SlackReply> {
    const prompt = decodeConfirmValue(click.value);
    if (prompt && !(await this.firstAnswer(prompt))) return ephemeral("This prompt was already answered; nothing was done twice.");
    return { responseType: "ephemeral", replaceOriginal: true, text: "Cancelled, nothing was deployed." };
  }

  private async cancelDeploy(click: ButtonClick, actor: Actor): Promise<SlackReply> {
    const deployId = click.value ?? "";
    const key = `slack:click:${deployId}:cancel:${click.userId}`;
    if (!(await this.deps.store.recordKey(key, this.deps.clock.now().toISOString()))) {
      return ephemeral("You already asked to cancel this deploy; nothing was done twice. The card shows where it stands.");
    }
    const result = await this.deps.runner.cancelById(deployId, { actor, ...(click.channelId ? { slackChannel: click.channelId } : {}) });
    if (result.outcome === "done") await this.noteOnCard(deployId, `🛑 ${escapeMrkdwn(actor.name)} asked to stop this deploy.`);
    return ephemeral(textOf(result));
  }

  /** The deploy record does not keep who stopped it; the card's thread does. */
  private async noteOnCard(deployId: string, text: string): Promise<void> {
    const deploy = await this.deps.store.getDeploy(deployId);
    if (!deploy?.slackChannel || !deploy.slackTs) return;
    await this.deps.api.postMessage(deploy.slackChannel, { text }, { threadTs: deploy.slackTs }).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, deployId }, "could not note the cancel request on the card");
    });
  }

  /** Roll back only what is still live: a card whose deploy was replaced says so instead. */
  private async rollback(click: ButtonClick, actor: Actor): Promise<SlackReply | undefined> {
    const deploy = click.value ? await this.deps.store.getDeploy(click.value) : undefined;
    if (!deploy) return ephemeral("This card's deploy is unknown to Whistlestop; nothing was rolled back.");
    const where = `${deploy.service}/${deploy.env}`;
    const [current] = await this.deps.store.listSucceeded(deploy.service, deploy.env, 1);
    if (!current || current.id !== deploy.id) {
      const live = current ? ` (\`${shortSha(current.sha)}\`, deploy \`${current.id}\`)` : "";
      return ephemeral(`A newer deploy${live} is live in ${escapeMrkdwn(where)}, so this card's Roll back no longer applies; nothing was done. Use \`/rollback ${deploy.service} ${deploy.env}\` to choose a release.`);
    }
    const active = await this.deps.store.listDeploys({ service: deploy.service, env: deploy.env, states: ["queued", "running"] });
    const under = active.find((d) => d.rollbackOf === deploy.id);
    if (under) return ephemeral(`A rollback of this deploy is already ${under.state} (deploy \`${under.id}\`); nothing was done twice.`);
    // One rollback per card, however many people click: the key is the card's deploy.
    const key = `slack:rollback-of:${deploy.id}`;
    const text = `${deploy.service} ${deploy.env}`;
    const context: RequestContext = { actor, ...(click.channelId ? { slackChannel: click.channelId } : {}), idempotencyKey: key };
    const result = await this.deps.runner.runText(text, context, { defaultVerb: "rollback" });
    return replyForResult(result, { actor, confirm: { verb: "rollback", text, nonce: this.deps.newNonce(), key } });
  }
}

function textOf(result: CommandResult): string {
  return `${result.outcome === "refused" ? "🚫 " : ""}${escapeMrkdwn(result.message)}`;
}
