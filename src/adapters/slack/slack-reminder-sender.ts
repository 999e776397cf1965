import type { LockReminderMessage, ReminderSender, SendOutcome, WindowNoticeMessage } from "../../core/ports/reminder-sender.js";
import { lockReminderMessage, windowNoticeMessage } from "./reminder-messages.js";
import { SlackRefusedError, type SlackApi, type SlackMessage } from "./slack-api.js";

/**
 * Reminders on Slack: a lock's reminder is a direct message (posted to the owner's user id, which
 * Slack delivers in the app's DM with them, with `chat:write` alone), a window's announcement a
 * channel message. Slack refusing for good (not_in_channel, channel_not_found) is "refused"; a
 * Slack that is down throws, and the round tries again.
 */
export class SlackReminderSender implements ReminderSender {
  constructor(
    private readonly api: Pick<SlackApi, "postMessage">,
    private readonly timezone: string,
  ) {}

  sendLockReminder(userId: string, message: LockReminderMessage): Promise<SendOutcome> {
    return this.post(userId, lockReminderMessage(message, this.timezone));
  }

  sendWindowNotice(channel: string, message: WindowNoticeMessage): Promise<SendOutcome> {
    return this.post(channel, windowNoticeMessage(message, this.timezone));
  }

  private async post(channel: string, message: SlackMessage): Promise<SendOutcome> {
    try {
      await this.api.postMessage(channel, message);
      return "sent";
    } catch (error) {
      if (error instanceof SlackRefusedError) return "refused";
      throw error;
    }
  }
}
