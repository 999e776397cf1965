import type { CommandRunner } from "../../core/commands/command-runner.js";
import type { RequestContext } from "../../core/commands/request-context.js";
import type { Actor } from "../../core/model/actor.js";
import type { PeopleDirectory } from "../../core/identity/people-directory.js";
import type { Clock } from "../../core/ports/clock.js";
import type { Store } from "../../core/ports/store.js";
import { confirmationExpired, confirmationExpiresAt, CONFIRMATION_LIFETIME_MS } from "../../core/commands/confirmation-lifetime.js";
import { formatMoment } from "../../core/policies/format-moment.js";
import { ACTION, decodeConfirmValue, decodeLockReminderValue, type ConfirmValue, type LegacyConfirmValue } from "./action-ids.js";
import type { PinoLike } from "./bolt-logger.js";
import { confirmedText, lineFor, replyForResult } from "./command-reply.js";
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
  readonly runner: Pick<CommandRunner, "runText" | "run" | "confirm" | "cancelById" | "rollbackDeploy">;
  readonly store: Pick<Store, "recordKey" | "getDeploy">;
  readonly directory: PeopleDirectory;
  readonly api: SlackApi;
  readonly clock: Clock;
  readonly logger: PinoLike;
  readonly newNonce: () => string;
  /** For times in replies (when a prompt expired). */
  readonly timezone: string;
}

const ephemeral = (text: string): SlackReply => ({ responseType: "ephemeral", text });
/** A button's value is a deploy id Whistlestop wrote; anything else was not. */
const DEPLOY_ID = /^[A-Za-z0-9-]{1,128}$/;

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
      case ACTION.approve:
      case ACTION.reject:
        return this.answerApproval(click, actor);
      case ACTION.lockUnlock:
      case ACTION.lockExtend:
        return this.answerLockReminder(click, actor);
      default:
        return ephemeral("That button is not Whistlestop's, or comes from an older version; nothing was done.");
    }
  }

  /** The first answer to a prompt wins, whichever button it was. */
  private async firstAnswer(prompt: ConfirmValue | LegacyConfirmValue): Promise<boolean> {
    return this.deps.store.recordKey(`slack:prompt:${prompt.nonce}`, this.deps.clock.now());
  }

  private async confirm(click: ButtonClick, actor: Actor): Promise<SlackReply> {
    const prompt = decodeConfirmValue(click.value);
    if (!prompt) return ephemeral("This prompt could not be read; nothing was deployed. Type the command again.");
    const expired = this.expired(prompt);
    if (expired) return expired;
    if (!(await this.firstAnswer(prompt))) return ephemeral("This prompt was already answered; nothing was done twice.");
    const context: RequestContext = {
      actor,
      ...(click.channelId ? { slackChannel: click.channelId } : {}),
      idempotencyKey: prompt.key ?? `slack:confirm:${prompt.nonce}`,
    };
    // The command as it was decided when the prompt was shown, decided once more now, and only once.
    const result =
      "pending" in prompt ? await this.deps.runner.confirm(prompt.pending, context) : await this.deps.runner.runText(`${prompt.text} --yes`, context, { defaultVerb: prompt.verb });
    return { responseType: "ephemeral", replaceOriginal: true, text: confirmedText(result, actor) };
  }

  private async dismiss(click: ButtonClick): Promise<SlackReply> {
    const prompt = decodeConfirmValue(click.value);
    const expired = prompt && this.expired(prompt);
    if (expired) return expired;
    if (prompt && !(await this.firstAnswer(prompt))) return ephemeral("This prompt was already answered; nothing was done twice.");
    return { responseType: "ephemeral", replaceOriginal: true, text: "Cancelled, nothing was deployed." };
  }

  /**
   * A prompt answered after its time is told so, in place of the prompt, and nothing runs: what it
   * asked about may have changed since. Prompts from before prompts expired carry no time and pass.
   */
  private expired(prompt: ConfirmValue | LegacyConfirmValue): SlackReply | undefined {
    if (!("askedAt" in prompt) || prompt.askedAt === undefined || !confirmationExpired(prompt.askedAt, this.deps.clock.now())) return undefined;
    const at = formatMoment(confirmationExpiresAt(prompt.askedAt), this.deps.timezone, this.deps.clock.now());
    return {
      responseType: "ephemeral",
      replaceOriginal: true,
      text: `⌛ This confirmation expired at ${at}: a prompt can be answered for ${CONFIRMATION_LIFETIME_MS / 60_000} minutes. Nothing was deployed or rolled back. Run the command again for a new prompt.`,
    };
  }

  /**
   * Unlock or Extend 2h on a lock reminder: the command the button names, run as the clicker through
   * the usual checks, so someone who may not unlock is refused exactly as if they had typed it. Done,
   * the reminder is replaced by what happened; refused, it stays, with the refusal beside it.
   */
  private async answerLockReminder(click: ButtonClick, actor: Actor): Promise<SlackReply> {
    const command = decodeLockReminderValue(click.value);
    if (!command) return ephemeral("This button could not be read; nothing was locked or unlocked. Type the command instead.");
    const result = await this.deps.runner.runText(command, { actor, ...(click.channelId ? { slackChannel: click.channelId } : {}) });
    if (result.outcome === "refused") return replyForResult(result, { actor }) ?? ephemeral(lineFor(result));
    return { responseType: "ephemeral", replaceOriginal: true, text: lineFor(result) };
  }

  private async cancelDeploy(click: ButtonClick, actor: Actor): Promise<SlackReply> {
    const deployId = click.value ?? "";
    const key = `slack:click:${deployId}:cancel:${click.userId}`;
    if (!(await this.deps.store.recordKey(key, this.deps.clock.now()))) {
      return ephemeral("You already asked to cancel this deploy; nothing was done twice. The card shows where it stands.");
    }
    const result = await this.deps.runner.cancelById(deployId, { actor, ...(click.channelId ? { slackChannel: click.channelId } : {}) });
    if (result.outcome === "done") await this.noteOnCard(deployId, `🛑 ${escapeMrkdwn(actor.name)} asked to stop this deploy.`);
    return ephemeral(lineFor(result));
  }

  /** The deploy record does not keep who stopped it; the card's thread does. */
  private async noteOnCard(deployId: string, text: string): Promise<void> {
    const deploy = await this.deps.store.getDeploy(deployId);
    if (!deploy?.slackChannel || !deploy.slackTs) return;
    await this.deps.api.postMessage(deploy.slackChannel, { text }, { threadTs: deploy.slackTs }).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, deployId }, "could not note the cancel request on the card");
    });
  }

  /**
   * Approve or Reject on an awaiting card: the same verb as typed, so the same approver rules. The
   * store counts one approval per person, so a double click is harmless; the clicker is told what
   * their click did (started, queued, refused with its reason code…).
   */
  private async answerApproval(click: ButtonClick, actor: Actor): Promise<SlackReply> {
    const id = click.value ?? "";
    if (!DEPLOY_ID.test(id)) return ephemeral("This button could not be read; nothing was approved or rejected.");
    const context: RequestContext = { actor, ...(click.channelId ? { slackChannel: click.channelId } : {}) };
    const command = click.actionId === ACTION.approve ? { verb: "approve" as const, id } : { verb: "reject" as const, id };
    const result = await this.deps.runner.run(command, context);
    return replyForResult(result, { actor }) ?? ephemeral(lineFor(result));
  }

  /** Roll back the card's release; the core refuses when it is no longer live or already being rolled back. */
  private async rollback(click: ButtonClick, actor: Actor): Promise<SlackReply | undefined> {
    const deployId = click.value ?? "";
    // One rollback per card, however many people click: the key is the card's deploy.
    const key = `slack:rollback-of:${deployId}`;
    const context: RequestContext = { actor, ...(click.channelId ? { slackChannel: click.channelId } : {}), idempotencyKey: key };
    const result = await this.deps.runner.rollbackDeploy(deployId, context);
    return replyForResult(result, { actor, prompt: { nonce: this.deps.newNonce(), key, askedAt: this.deps.clock.now().getTime() } });
  }
}
