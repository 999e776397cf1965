import type { WhistlestopConfig } from "../../core/model/config.js";
import { isFinal, type Deploy } from "../../core/model/deploy.js";
import type { Clock } from "../../core/ports/clock.js";
import type { DeployEvent, Notifier } from "../../core/ports/notifier.js";
import type { Pipeline } from "../../core/ports/pipeline.js";
import type { Store } from "../../core/ports/store.js";
import type { PinoLike } from "./bolt-logger.js";
import { milestonesFor, rolledBackReply, type Milestone } from "./card-milestones.js";
import type { Timers } from "../../ports/timers.js";
import { CoalescingEditor } from "../shared/coalescing-editor.js";
import { renderDeployCard, type CardLinks } from "./deploy-card.js";
import { approvalNote } from "./approval-note.js";
import { describeForcedPast, forcedAnnouncement } from "./forced-past.js";
import { autoRollbackAnnouncement, autoRollbackAnnouncementKey, isAutomaticRollback } from "./auto-rollback-announcement.js";
import { OncePoster } from "./post-once.js";
import { storedCard } from "./stored-card.js";
import { SlackRefusedError, type SlackApi, type SlackMessage } from "./slack-api.js";

export interface SlackNotifierDeps {
  readonly api: SlackApi;
  readonly store: Pick<Store, "updateDeploy" | "getDeploy" | "recordKey" | "listLocks">;
  readonly config: WhistlestopConfig;
  readonly pipeline: Pick<Pipeline, "executionUrl">;
  readonly clock: Clock;
  readonly timers: Pick<Timers, "now" | "setTimeout" | "clearTimeout">;
  readonly logger: PinoLike;
  /** https://github.com, or the GitHub Enterprise host's URL. */
  readonly githubUrl: string;
  readonly updateIntervalMs?: number;
}

interface Card {
  readonly channel: string;
  readonly ts: string;
}

interface CardEdit extends Card {
  readonly message: SlackMessage;
}

/** Slack allows about one chat.update per second per message before it answers 429. */
const DEFAULT_CARD_UPDATE_INTERVAL_MS = 1000;

const FINAL_EVENTS = new Set(["succeeded", "failed", "cancelled", "superseded"]);
/** The events of a forced deploy's first moments: whichever comes first is announced. */
const ANNOUNCED_EVENTS = new Set(["awaiting_approval", "queued", "waiting", "started"]);

/**
 * One Block Kit card per deploy, posted on its first event and edited in place after,
 * with thread replies for the milestones. The card's channel and ts live in the store, so a
 * restarted server edits the same card; replies are recorded once per deploy and milestone.
 */
export class SlackNotifier implements Notifier {
  private readonly cards = new Map<string, Card | "none">();
  private readonly coalescer: CoalescingEditor<CardEdit>;
  /** Replies and announcements go out once per key, across replicas and restarts. */
  private readonly poster: OncePoster;

  constructor(private readonly deps: SlackNotifierDeps) {
    this.poster = new OncePoster(deps);
    this.coalescer = new CoalescingEditor<CardEdit>(
      (_id, edit) => this.edit(edit),
      deps.timers,
      deps.updateIntervalMs ?? DEFAULT_CARD_UPDATE_INTERVAL_MS,
      (error, id) => deps.logger.warn({ err: error, deployId: id }, "a Slack card edit failed; the next one will carry the newest state"),
    );
  }

  async notify(event: DeployEvent): Promise<void> {
    const { deploy } = event;
    const now = this.deps.clock.now();
    const waitsFor = approvalNote(this.deps.config, deploy, now);
    const message = renderDeployCard({
      deploy,
      now,
      links: this.links(deploy),
      plannedStages: this.deps.config.services[deploy.service]?.stages ?? [],
      // A refresh (`progress`) of a queued deploy carries its queue position too.
      ...((event.type === "queued" || event.type === "progress") && event.note ? { note: event.note } : {}),
      ...(waitsFor ? { approvalNote: waitsFor } : {}),
    });
    const forcedPast = deploy.forced ? describeForcedPast(deploy, await this.deps.store.listLocks(now), this.deps.config, now) : undefined;
    if (forcedPast && ANNOUNCED_EVENTS.has(event.type)) await this.announceForced(deploy, forcedPast);
    // Any event of it, not only its first: a restart may report it for the first time already ended.
    if (isAutomaticRollback(deploy)) await this.announceAutoRollback(deploy);
    const found = await this.cardOf(deploy, message);
    if (!found) {
      if (isFinal(deploy.state)) this.cards.delete(deploy.id);
      return;
    }
    const { card, posted } = found;
    const final = FINAL_EVENTS.has(event.type) || isFinal(deploy.state);
    if (posted) this.coalescer.touch(deploy.id);
    else if (final) await this.coalescer.deliver(deploy.id, { ...card, message });
    else this.coalescer.schedule(deploy.id, { ...card, message });
    const executionUrl = this.executionUrl(deploy);
    const logUrl = failedActionUrl(deploy) ?? executionUrl;
    const milestones = milestonesFor(event, {
      now,
      ...(executionUrl ? { executionUrl } : {}),
      ...(logUrl ? { logUrl } : {}),
      ...(forcedPast ? { forcedPast } : {}),
      ...(waitsFor ? { approvalNote: waitsFor } : {}),
    });
    for (const milestone of milestones) await this.reply(deploy.id, card, milestone);
    if (event.type === "succeeded" && deploy.rollbackOf) await this.announceOnRolledBack(deploy);
    // The store remembers the card from here on; memory holds only deploys still moving.
    if (final) this.cards.delete(deploy.id);
  }

  /** Final edits still waiting for their slot (graceful shutdown). */
  idle(): Promise<void> {
    return this.coalescer.idle();
  }

  private links(deploy: Deploy): CardLinks {
    const repo = this.deps.config.services[deploy.service]?.repo;
    const executionUrl = this.executionUrl(deploy);
    return {
      ...(repo ? { commitUrl: `${this.deps.githubUrl}/${repo}/commit/${deploy.sha}`, repoUrl: `${this.deps.githubUrl}/${repo}` } : {}),
      ...(executionUrl ? { executionUrl } : {}),
      ...(deploy.githubRepo && deploy.prNumber ? { prUrl: `${this.deps.githubUrl}/${deploy.githubRepo}/pull/${deploy.prNumber}` } : {}),
    };
  }

  private executionUrl(deploy: Deploy): string | undefined {
    return deploy.executionId ? this.deps.pipeline.executionUrl(deploy.pipelineName, deploy.executionId) : undefined;
  }

  /** The deploy's card: remembered, stored (a restart), or posted now in its channel. */
  private async cardOf(deploy: Deploy, message: SlackMessage): Promise<{ card: Card; posted: boolean } | undefined> {
    const known = this.cards.get(deploy.id) ?? storedCard(deploy) ?? storedCard(await this.deps.store.getDeploy(deploy.id));
    if (known === "none") return undefined;
    if (known) {
      this.cards.set(deploy.id, known);
      return { card: known, posted: false };
    }
    const serviceChannel = this.deps.config.services[deploy.service]?.slackChannel;
    const channels = [...new Set([deploy.slackChannel, serviceChannel].filter((c): c is string => Boolean(c)))];
    for (const channel of channels) {
      try {
        const card = await this.deps.api.postMessage(channel, message);
        this.cards.set(deploy.id, card);
        await this.deps.store.updateDeploy(deploy.id, { slackChannel: card.channel, slackTs: card.ts });
        return { card, posted: true };
      } catch (error) {
        if (!(error instanceof SlackRefusedError)) throw error;
        // not_in_channel, channel_not_found…: try the service's channel before giving up.
        this.deps.logger.warn({ deployId: deploy.id, channel, code: error.code }, "Slack refused the deploy card; invite the bot to the channel");
      }
    }
    if (channels.length === 0) this.deps.logger.info({ deployId: deploy.id, service: deploy.service }, "no Slack channel for this deploy's card (set slack_channel)");
    this.cards.set(deploy.id, "none");
    return undefined;
  }

  private async edit(edit: CardEdit): Promise<void> {
    try {
      await this.deps.api.updateMessage(edit.channel, edit.ts, edit.message);
    } catch (error) {
      // A card someone deleted cannot be edited again; keep reporting in the thread.
      if (error instanceof SlackRefusedError) this.deps.logger.warn({ code: error.code, channel: edit.channel, ts: edit.ts }, "Slack refused a card edit");
      else throw error;
    }
  }

  private reply(deployId: string, card: Card, milestone: Milestone): Promise<void> {
    const options = { threadTs: card.ts, ...(milestone.broadcast ? { broadcast: true } : {}) };
    return this.postOnce(`slack:reply:${deployId}:${milestone.key}`, card.channel, milestone.text, options, { deployId, milestone: milestone.key });
  }

  /**
   * Break glass: a forced deploy is announced in announce_channel, naming who, what and why — once
   * per deploy across replicas and restarts (the store's key), whichever event reaches a replica first.
   */
  private async announceForced(deploy: Deploy, forcedPast: readonly string[]): Promise<void> {
    const channel = this.deps.config.announceChannel;
    if (!channel) return;
    await this.postOnce(`slack:announce:forced:${deploy.id}`, channel, forcedAnnouncement(deploy, forcedPast), {}, { deployId: deploy.id, announce: channel });
  }

  /** on_failure: rollback is announced in announce_channel once per failure (the store's key). */
  private async announceAutoRollback(rollback: Deploy): Promise<void> {
    const channel = this.deps.config.announceChannel;
    if (!channel || !rollback.rollbackOf) return;
    const failed = await this.deps.store.getDeploy(rollback.rollbackOf);
    const text = autoRollbackAnnouncement(rollback, failed);
    await this.postOnce(autoRollbackAnnouncementKey(rollback.rollbackOf), channel, text, {}, { deployId: rollback.id, announce: channel });
  }

  private postOnce(key: string, channel: string, text: string, options: { threadTs?: string; broadcast?: boolean }, about: Record<string, string>): Promise<void> {
    return this.poster.post(key, channel, { text }, options, about);
  }

  private async announceOnRolledBack(rollback: Deploy): Promise<void> {
    const original = rollback.rollbackOf ? await this.deps.store.getDeploy(rollback.rollbackOf) : undefined;
    const card = storedCard(original);
    if (original && card) await this.reply(original.id, card, rolledBackReply(rollback));
  }
}

function failedActionUrl(deploy: Deploy): string | undefined {
  for (const stage of deploy.stages) for (const action of stage.actions ?? []) if (action.status === "failed" && action.url) return action.url;
  return undefined;
}
