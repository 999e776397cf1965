import type { PeopleDirectory } from "../../core/identity/people-directory.js";
import { deployOwnerKey } from "../../core/model/actor.js";
import type { Deploy } from "../../core/model/deploy.js";
import type { DeployWarner, DeployWarning } from "../../core/ports/deploy-warner.js";
import type { Logger } from "../../core/ports/logger.js";
import type { Store } from "../../core/ports/store.js";
import { formatDuration } from "../../core/time/duration.js";
import { SlackRefusedError, type SlackApi } from "./slack-api.js";
import { escapeMrkdwn } from "./slack-text.js";
import { storedCard } from "./stored-card.js";

export interface SlackDeployWarnerDeps {
  readonly api: Pick<SlackApi, "postMessage">;
  readonly store: Pick<Store, "getDeploy">;
  readonly directory: Pick<PeopleDirectory, "slackUsersOf">;
  readonly logger: Pick<Logger, "warn">;
}

/**
 * The watchdog's warnings as replies in the deploy's card thread, mentioning whoever asked for the
 * deploy so that it reaches a person. The watchdog asks once per warning; a deploy without a card
 * gets no reply (the warning is in the log).
 */
export class SlackDeployWarner implements DeployWarner {
  constructor(private readonly deps: SlackDeployWarnerDeps) {}

  async warn(deploy: Deploy, warning: DeployWarning): Promise<void> {
    const card = storedCard(deploy) ?? storedCard(await this.deps.store.getDeploy(deploy.id));
    if (!card) return;
    const text = warningText(await this.deployer(deploy), warning);
    try {
      await this.deps.api.postMessage(card.channel, { text }, { threadTs: card.ts });
    } catch (error) {
      if (!(error instanceof SlackRefusedError)) throw error;
      this.deps.logger.warn({ deployId: deploy.id, code: error.code }, "Slack refused the watchdog's warning");
    }
  }

  /** A Slack mention of the deployer when Whistlestop knows their Slack user, else their name. */
  private async deployer(deploy: Deploy): Promise<string> {
    const owner = deployOwnerKey(deploy);
    if (owner.startsWith("slack:")) return `<@${owner.slice("slack:".length)}>`;
    const login = deploy.actorLogin ?? (owner.startsWith("login:") ? owner.slice("login:".length) : undefined);
    const user = login ? (await this.deps.directory.slackUsersOf([login])).get(login.toLowerCase()) : undefined;
    return user ? `<@${user}>` : escapeMrkdwn(deploy.actor);
  }
}

export function warningText(deployer: string, warning: DeployWarning): string {
  if (warning.kind === "silent") {
    return `📡 ${deployer}: Whistlestop has had no progress information about this deploy for ${formatDuration(warning.silentMs)} (CodePipeline could not be read). It keeps trying; check the pipeline in the AWS console.`;
  }
  const limit =
    warning.source === "configured" ? `its stage_timeout of ${formatDuration(warning.timeoutMs)}` : warning.source === "history" ? `${formatDuration(warning.timeoutMs)} (3× its usual time)` : formatDuration(warning.timeoutMs);
  return `⏰ ${deployer}: the *${escapeMrkdwn(warning.stage)}* stage has been running for ${formatDuration(warning.runningMs)}, longer than ${limit}. Is it stuck? Check the pipeline, or press Cancel deploy on the card.`;
}
