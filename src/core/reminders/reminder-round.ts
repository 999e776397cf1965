import type { PeopleDirectory } from "../identity/people-directory.js";
import type { Deploy } from "../model/deploy.js";
import type { Lock } from "../model/lock.js";
import type { ReminderKey, ReminderStore } from "../ports/reminder-store.js";
import type { ReminderSender, SendOutcome } from "../ports/reminder-sender.js";
import type { StoreReader } from "../ports/store.js";
import { dueLockReminders, lockReminderCommands, nextLockReminderAt, type DueLockReminder } from "./lock-reminders.js";
import { windowChannels } from "./window-audience.js";
import { dueReleases, dueWindowMoments, nextWindowMomentAt, type WindowMoment } from "./window-moments.js";
import { releaseQueues, releasedDeploys, type WindowReleaseDeps } from "./window-release.js";

export interface ReminderRoundDeps extends WindowReleaseDeps {
  readonly store: WindowReleaseDeps["store"] & Pick<StoreReader, "listLocks"> & Omit<ReminderStore, "pruneReminders">;
  readonly directory: Pick<PeopleDirectory, "slackUsersOf">;
  /** Absent when no chat surface is on: queues are still released, nothing is announced. */
  readonly sender?: ReminderSender;
  /** This replica's id: who holds the reminders it claims. */
  readonly claimant: string;
}

export interface RoundReport {
  /** Reminders this replica sent (or found refused for good) in this round. */
  readonly sent: number;
  /** When something next falls due (a window's moment, a lock's next period); undefined when nothing will. */
  readonly next?: Date;
}

/** Long enough for one post with its retries; a holder that dies mid-post hands over after this. */
export const REMINDER_CLAIM_MS = 2 * 60_000;

/**
 * One round of the reminder duty at `now`, on any replica: start what windows release, then send
 * every announcement and lock reminder due, each claimed in the store first so that it goes out
 * once across replicas and restarts. A failure to send one is logged; it is tried again next round.
 */
export async function runReminderRound(deps: ReminderRoundDeps, now: Date): Promise<RoundReport> {
  const { config, store } = deps;
  const locks = await store.listLocks(now);
  const releases = dueReleases(config, now);
  const moments = deps.sender ? dueWindowMoments(config, now) : [];
  // Read what each ending window releases before starting it, so the list names them all.
  const releasedByEnd = new Map<WindowMoment, Deploy[]>();
  for (const moment of moments.filter((m) => m.kind === "window_end")) releasedByEnd.set(moment, await releasedDeploys(deps, moment, now));
  for (const release of releases) await releaseQueues(deps, release);

  let sent = 0;
  if (deps.sender) {
    const sender = deps.sender;
    for (const moment of moments) {
      const message = { kind: moment.kind, window: moment.window, occurrence: moment.occurrence, released: releasedByEnd.get(moment) ?? [], now };
      for (const channel of windowChannels(config, moment.window)) {
        const key = { kind: moment.kind, subject: moment.window.name, occurrence: moment.occurrence.start.toISOString(), channel };
        if (await sendOnce(deps, key, now, () => sender.sendWindowNotice(channel, message))) sent++;
      }
    }
    for (const due of dueLockReminders(config, locks, now)) if (await remindOwner(deps, sender, due, now)) sent++;
  }
  const next = [nextWindowMomentAt(config, now), nextLockReminderAt(config, locks, now)].filter((d): d is Date => d !== undefined);
  return { sent, ...(next.length > 0 ? { next: new Date(Math.min(...next.map((d) => d.getTime()))) } : {}) };
}

async function remindOwner(deps: ReminderRoundDeps, sender: ReminderSender, due: DueLockReminder, now: Date): Promise<boolean> {
  const { lock } = due;
  const userId = await slackUserOf(deps, lock);
  if (!userId) return false;
  const commands = lockReminderCommands(lock, now);
  const key = { kind: "lock", subject: `${lock.service}/${lock.env}`, occurrence: `${lock.createdAt}#${due.nth}`, channel: userId };
  const message = { lock, heldMs: due.heldMs, periodMs: due.periodMs, unlockCommand: commands.unlock, extendCommand: commands.extend, now };
  return sendOnce(deps, key, now, () => sender.sendLockReminder(userId, message));
}

/**
 * The Slack user a lock's owner is: the user who took it on Slack without a GitHub login, or the
 * one `people` or a link gives the owner's login. An API client's lock has nobody to remind.
 */
async function slackUserOf(deps: ReminderRoundDeps, lock: Lock): Promise<string | undefined> {
  const [kind, ...rest] = lock.ownerKey.split(":");
  const id = rest.join(":");
  if (kind === "slack") return id;
  if (kind !== "login") return undefined;
  return (await deps.directory.slackUsersOf([id])).get(id.toLowerCase());
}

/** Claim, send, record: true when this replica sent it. A send that threw gives the claim back for the next round. */
async function sendOnce(deps: ReminderRoundDeps, key: ReminderKey, now: Date, send: () => Promise<SendOutcome>): Promise<boolean> {
  const { store, claimant, logger } = deps;
  if (!(await store.claimReminder(key, claimant, now, new Date(now.getTime() + REMINDER_CLAIM_MS)))) return false;
  let outcome: SendOutcome;
  try {
    outcome = await send();
  } catch (error) {
    logger.warn({ err: error, reminder: key }, "could not send a reminder; the next round tries again");
    await store.releaseReminder(key, claimant);
    return false;
  }
  if (outcome === "refused") logger.warn({ reminder: key }, "the reminder's destination refused it for good (is the bot in the channel?); it is not sent again");
  await store.markReminderSent(key, claimant, now);
  return true;
}
