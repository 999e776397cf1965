import { splitRepo, type GitHubRequest } from "./github-request.js";

export type ReactionContent = "eyes" | "rocket" | "-1" | "+1" | "confused";
export type DeploymentState = "queued" | "in_progress" | "success" | "failure" | "error" | "inactive" | "pending";

export interface PullRequestFacts {
  readonly number: number;
  readonly state: "open" | "closed";
  readonly merged: boolean;
  readonly headSha: string;
  readonly headRef: string;
  /** The repository the head branch lives in (owner/name); null when GitHub no longer knows it (a deleted fork). */
  readonly headRepo: string | null;
  readonly mergeCommitSha?: string;
}

export interface NewDeployment {
  readonly ref: string;
  readonly environment: string;
  readonly task: string;
  readonly description: string;
  readonly payload: Record<string, unknown>;
  readonly productionEnvironment: boolean;
}

export interface DeploymentStatus {
  readonly state: DeploymentState;
  readonly description: string;
  readonly logUrl?: string;
  readonly environmentUrl?: string;
}

export interface ProtectionReview {
  readonly environment: string;
  readonly state: "approved" | "rejected";
  readonly comment: string;
}

/** The GitHub calls Whistlestop makes, each on the installation of the repository it concerns. */
export interface GitHubApi {
  addReaction(repo: string, commentId: number, content: ReactionContent): Promise<void>;
  createComment(repo: string, issueNumber: number, body: string): Promise<number>;
  updateComment(repo: string, commentId: number, body: string): Promise<void>;
  getPullRequest(repo: string, number: number): Promise<PullRequestFacts>;
  createDeployment(repo: string, deployment: NewDeployment): Promise<number>;
  createDeploymentStatus(repo: string, deploymentId: number, status: DeploymentStatus): Promise<void>;
  reviewProtectionRule(repo: string, callbackUrl: string, review: ProtectionReview): Promise<void>;
}

/** GitHubApi over installation-authenticated Octokit requests. */
export class OctokitGitHubApi implements GitHubApi {
  constructor(private readonly clients: { forRepo(repo: string): Promise<GitHubRequest> }) {}

  async addReaction(repo: string, commentId: number, content: ReactionContent): Promise<void> {
    await this.call(repo, "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", { comment_id: commentId, content });
  }

  async createComment(repo: string, issueNumber: number, body: string): Promise<number> {
    const data = await this.call(repo, "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { issue_number: issueNumber, body });
    return idOf(data, "comment");
  }

  async updateComment(repo: string, commentId: number, body: string): Promise<void> {
    await this.call(repo, "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { comment_id: commentId, body });
  }

  async getPullRequest(repo: string, number: number): Promise<PullRequestFacts> {
    const data = (await this.call(repo, "GET /repos/{owner}/{repo}/pulls/{pull_number}", { pull_number: number })) as {
      state?: string;
      merged?: boolean;
      merged_at?: string | null;
      merge_commit_sha?: string | null;
      head?: { sha?: string; ref?: string; repo?: { full_name?: string } | null };
    };
    if (!data.head?.sha) throw new Error(`GitHub returned pull request ${repo}#${number} without a head commit`);
    return {
      number,
      state: data.state === "open" ? "open" : "closed",
      merged: data.merged === true || Boolean(data.merged_at),
      headSha: data.head.sha,
      headRef: data.head.ref ?? data.head.sha,
      headRepo: data.head.repo?.full_name ?? null,
      ...(data.merge_commit_sha ? { mergeCommitSha: data.merge_commit_sha } : {}),
    };
  }

  async createDeployment(repo: string, deployment: NewDeployment): Promise<number> {
    const data = await this.call(repo, "POST /repos/{owner}/{repo}/deployments", {
      ref: deployment.ref,
      environment: deployment.environment,
      task: deployment.task,
      description: deployment.description,
      payload: deployment.payload,
      production_environment: deployment.productionEnvironment,
      transient_environment: false,
      // Whistlestop decides; GitHub must neither merge the default branch in nor wait for checks.
      auto_merge: false,
      required_contexts: [],
    });
    return idOf(data, "deployment");
  }

  async createDeploymentStatus(repo: string, deploymentId: number, status: DeploymentStatus): Promise<void> {
    await this.call(repo, "POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
      deployment_id: deploymentId,
      state: status.state,
      description: status.description,
      ...(status.logUrl ? { log_url: status.logUrl } : {}),
      ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
    });
  }

  async reviewProtectionRule(repo: string, callbackUrl: string, review: ProtectionReview): Promise<void> {
    const request = await this.clients.forRepo(repo);
    await request(`POST ${callbackUrl}`, { environment_name: review.environment, state: review.state, comment: review.comment });
  }

  private async call(repo: string, route: string, parameters: Record<string, unknown>): Promise<unknown> {
    const request = await this.clients.forRepo(repo);
    return (await request(route, { ...splitRepo(repo), ...parameters })).data;
  }
}

function idOf(data: unknown, what: string): number {
  const id = (data as { id?: unknown } | undefined)?.id;
  if (typeof id !== "number") throw new Error(`GitHub created a ${what} but returned no id`);
  return id;
}
