import { shipNewsOf } from "../../core/changes/ship-news.js";
import type { PeopleDirectory } from "../../core/identity/people-directory.js";
import type { WhistlestopConfig } from "../../core/model/config.js";
import { resolveTarget } from "../../core/model/resolve-target.js";
import type { Clock } from "../../core/ports/clock.js";
import type { DeployEvent, Notifier } from "../../core/ports/notifier.js";
import type { Store } from "../../core/ports/store.js";
import { authorMentionText } from "./author-mention-text.js";
import type { Logger } from "../../core/ports/logger.js";
import { OncePoster } from "./post-once.js";
import { storedCard } from "./stored-card.js";
import type { SlackApi } from "./slack-api.js";

export interface AuthorMentionDeps {
  readonly api: Pick<SlackApi, "postMessage">;
  readonly store: Pick<Store, "getDeploy" | "recordKey">;
  readonly config: WhistlestopConfig;
  readonly directory: Pick<PeopleDirectory, "slackUsersOf">;
  readonly clock: Clock;
  readonly logger: Pick<Logger, "warn">;
  /** https://github.com, or the GitHub Enterprise host's URL: the PRs are linked. */
  readonly githubUrl: string;
}

/**
 * `mention_authors`: when a deploy ends (succeeded or failed) in an environment that asks for it,
 * one reply in its card's thread mentions the authors of the PRs it shipped, once per deploy
 * across replicas and restarts. It runs after the card notifier (the reply needs the card), and
 * again when a change set arrives after the end: whichever event first finds both posts it.
 */
export class AuthorMentionNotifier implements Notifier {
  private readonly poster: OncePoster;

  constructor(private readonly deps: AuthorMentionDeps) {
    this.poster = new OncePoster(deps);
  }

  async notify(event: DeployEvent): Promise<void> {
    const { deploy } = event;
    if (!resolveTarget(this.deps.config, deploy.service, deploy.env)?.mentionAuthors) return;
    const news = shipNewsOf(deploy);
    // A rollback takes PRs out: it never says they shipped, and mentions nobody.
    if (!news || news.kind === "taken_out") return;
    const card = storedCard(deploy) ?? storedCard(await this.deps.store.getDeploy(deploy.id));
    if (!card) return;
    const slackUsers = await this.deps.directory.slackUsersOf(news.pulls.flatMap((p) => (p.author ? [p.author] : [])));
    const repo = this.deps.config.services[deploy.service]?.repo;
    const text = authorMentionText({
      news,
      env: deploy.env,
      slackUsers,
      ...(repo ? { pullUrl: (number: number) => `${this.deps.githubUrl}/${repo}/pull/${number}` } : {}),
    });
    await this.poster.post(`slack:mention-authors:${deploy.id}`, card.channel, { text }, { threadTs: card.ts }, { deployId: deploy.id, reply: "mention_authors" });
  }
}
