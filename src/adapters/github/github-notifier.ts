import type { WhistlestopConfig } from "../../core/model/config.js";
import type { Deploy } from "../../core/model/deploy.js";
import { resolveTarget } from "../../core/model/resolve-target.js";
import type { Logger } from "../../core/ports/logger.js";
import type { DeployEvent, Notifier } from "../../core/ports/notifier.js";
import type { Pipeline } from "../../core/ports/pipeline.js";
import type { Store } from "../../core/ports/store.js";
import { clip, deploymentStatusFor } from "./deployment-status.js";
import { deployCommentBody } from "./deploy-comment-body.js";
import type { GitHubApi } from "./github-api.js";
import { describeFailure, isPermanent } from "./github-request.js";
import { NotInstalledError } from "./installation-clients.js";
import { CoalescingEditor, type EditorTimers } from "../shared/coalescing-editor.js";

export interface GitHubNotifierDeps {
  readonly api: GitHubApi;
  readonly config: WhistlestopConfig;
  readonly store: Pick<Store, "getDeploy" | "updateDeploy">;
  readonly pipeline: Pick<Pipeline, "executionUrl">;
  readonly logger: Logger;
  readonly timers: EditorTimers;
  /** Least time between two edits of one comment; default 1 s. */
  readonly commentEditIntervalMs?: number;
}

/** What this process knows about a deploy's GitHub objects (the store has them for restarts). */
interface Known {
  deploymentId?: number;
  /** Creating the Deployment failed for good (unknown sha, app not installed): stop trying. */
  noDeployment?: boolean;
  commentId?: number;
  rocket?: boolean;
}

const MAX_KNOWN = 5_000;
const FINAL_EVENTS: ReadonlySet<DeployEvent["type"]> = new Set(["succeeded", "failed", "cancelled", "superseded"]);

/**
 * Reports every deploy, from any surface, on GitHub: one Deployment with statuses, and for deploys
 * started from a pull request one progress comment edited in place, plus 🚀 on the command.
 * Intermediate updates may be overtaken; a final one is awaited and, if GitHub stays down after
 * Octokit's retries, thrown so the notification is sent again later (never lose the end).
 */
export class GitHubNotifier implements Notifier {
  private readonly known = new Map<string, Known>();
  private readonly editor: CoalescingEditor<string>;

  constructor(private readonly deps: GitHubNotifierDeps) {
    this.editor = new CoalescingEditor<string>((key, body) => this.editComment(key, body), deps.timers, deps.commentEditIntervalMs ?? 1000);
  }

  async notify(event: DeployEvent): Promise<void> {
    const deploy = event.deploy;
    const repo = deploy.githubRepo ?? this.deps.config.services[deploy.service]?.repo;
    if (!repo) return;
    const final = FINAL_EVENTS.has(event.type);
    const known = await this.knownFor(deploy);
    const results = await Promise.allSettled([this.reportDeployment(event, repo, known), this.reportOnPullRequest(event, repo, known, final), this.rocket(event, repo, known)]);
    const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    for (const error of failures) this.logFailure(error, event);
    if (final) {
      if (failures.some((e) => !isSkippable(e))) throw new Error(`GitHub did not take the final state of ${deploy.id}: ${describeFailure(failures[0])}`);
      this.known.delete(deploy.id);
    }
  }

  private async knownFor(deploy: Deploy): Promise<Known> {
    let known = this.known.get(deploy.id);
    if (known) return known;
    known = {};
    // Deploys another replica finished never get their final event here; keep the map bounded.
    if (this.known.size >= MAX_KNOWN) this.known.delete(this.known.keys().next().value!);
    // After a restart (or from another replica) the ids live in the store.
    const stored = deploy.githubDeploymentId || deploy.prCommentId ? deploy : await this.deps.store.getDeploy(deploy.id);
    if (stored?.githubDeploymentId) known.deploymentId = stored.githubDeploymentId;
    if (stored?.prCommentId) known.commentId = stored.prCommentId;
    this.known.set(deploy.id, known);
    return known;
  }

  private async reportDeployment(event: DeployEvent, repo: string, known: Known): Promise<void> {
    const status = deploymentStatusFor(event);
    if (!status || known.noDeployment) return;
    const deploy = event.deploy;
    const target = resolveTarget(this.deps.config, deploy.service, deploy.env);
    if (known.deploymentId === undefined) {
      try {
        known.deploymentId = await this.deps.api.createDeployment(repo, {
          ref: deploy.sha,
          // The GitHub environment it is mapped to, so the Deployment lands where its protection rule is.
          environment: target?.githubEnvironment ?? deploy.env,
          task: deploy.rollbackOf ? "deploy:rollback" : "deploy",
          description: clip(`${deploy.rollbackOf ? "Roll back" : "Deploy"} ${deploy.service} to ${deploy.env}, requested by ${deploy.actor} via ${deploy.surface}`),
          payload: { deployId: deploy.id, service: deploy.service, actor: deploy.actor, surface: deploy.surface, ...(deploy.rollbackOf ? { rollbackOf: deploy.rollbackOf } : {}) },
          productionEnvironment: isProduction(this.deps.config, deploy.env),
        });
      } catch (error) {
        if (isSkippable(error)) known.noDeployment = true;
        throw error;
      }
      await this.deps.store.updateDeploy(deploy.id, { githubDeploymentId: known.deploymentId });
      // Every Deployment starts queued, even when the run began at once: the lifecycle reads the same everywhere.
      if (status.state !== "queued") await this.deps.api.createDeploymentStatus(repo, known.deploymentId, { state: "queued", description: "Queued in Whistlestop" });
    }
    const executionUrl = deploy.executionId ? this.deps.pipeline.executionUrl(deploy.pipelineName, deploy.executionId) : undefined;
    await this.deps.api.createDeploymentStatus(repo, known.deploymentId, {
      ...status,
      ...(executionUrl ? { logUrl: executionUrl } : {}),
      // Where to see what was deployed: only meaningful once it is there.
      ...(status.state === "success" && target?.environmentUrl ? { environmentUrl: target.environmentUrl } : {}),
    });
  }

  private async reportOnPullRequest(event: DeployEvent, repo: string, known: Known, final: boolean): Promise<void> {
    const deploy = event.deploy;
    if (!deploy.prNumber) return;
    const target = resolveTarget(this.deps.config, deploy.service, deploy.env);
    const body = deployCommentBody({
      event,
      ...(deploy.executionId ? { executionUrl: this.deps.pipeline.executionUrl(deploy.pipelineName, deploy.executionId) } : {}),
      ...(target?.environmentUrl ? { environmentUrl: target.environmentUrl } : {}),
    });
    if (known.commentId === undefined) {
      known.commentId = await this.deps.api.createComment(repo, deploy.prNumber, body);
      this.editor.touch(commentKey(repo, known.commentId));
      await this.deps.store.updateDeploy(deploy.id, { prCommentId: known.commentId });
      return;
    }
    const key = commentKey(repo, known.commentId);
    const edited = this.editor.deliver(key, body);
    if (!final) {
      // Overtaken by later edits anyway; only the final text has to arrive.
      edited.catch((error: unknown) => this.logFailure(error, event));
      return;
    }
    // The editor forgets the comment once its interval has passed without another edit.
    await edited;
  }

  private async rocket(event: DeployEvent, repo: string, known: Known): Promise<void> {
    const deploy = event.deploy;
    if (event.type !== "started" || !deploy.commandCommentId || known.rocket) return;
    known.rocket = true;
    await this.deps.api.addReaction(repo, deploy.commandCommentId, "rocket");
  }

  private async editComment(key: string, body: string): Promise<void> {
    const [repo, id] = splitCommentKey(key);
    await this.deps.api.updateComment(repo, id, body);
  }

  private logFailure(error: unknown, event: DeployEvent): void {
    const fields = { deployId: event.deploy.id, type: event.type, reason: describeFailure(error) };
    if (error instanceof NotInstalledError) return;
    this.deps.logger.warn(fields, "could not report a deploy on GitHub");
  }
}

/** GitHub will not accept it however often it is asked (a sha it does not know, no installation). */
const isSkippable = (error: unknown): boolean => error instanceof NotInstalledError || isPermanent(error);

const commentKey = (repo: string, id: number) => `${repo}#${id}`;
function splitCommentKey(key: string): [string, number] {
  const at = key.lastIndexOf("#");
  return [key.slice(0, at), Number(key.slice(at + 1))];
}

/**
 * GitHub's production_environment: an environment called prod/production, or the end of a
 * promotion chain (it promotes from another and nothing promotes from it).
 */
export function isProduction(config: WhistlestopConfig, env: string): boolean {
  if (/^prod(uction)?$/i.test(env)) return true;
  const settings = config.environments[env];
  if (!settings?.promoteFrom) return false;
  return !Object.values(config.environments).some((other) => other.promoteFrom === env);
}
