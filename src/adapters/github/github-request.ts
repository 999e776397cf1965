/**
 * The one Octokit call the adapter uses: `request(route, parameters)`. Narrower than Octokit's
 * overloads, so the adapter's own code stays typed without depending on Octokit's generics.
 */
export type GitHubRequest = (route: string, parameters?: Record<string, unknown>) => Promise<{ status: number; data: unknown }>;

export interface RepoName {
  readonly owner: string;
  readonly repo: string;
}

/** "owner/name" → its parts; throws for anything else (config validation keeps repos well formed). */
export function splitRepo(fullName: string): RepoName {
  const [owner, repo, ...rest] = fullName.split("/");
  if (!owner || !repo || rest.length) throw new Error(`"${fullName}" is not a repository name like owner/name`);
  return { owner, repo };
}

/** The HTTP status of a failed Octokit request, if it got an answer. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === "number" ? status : undefined;
}

export const isNotFound = (error: unknown): boolean => statusOf(error) === 404;

/** Answers that will not change on a retry (the rate-limit and 5xx cases are retried by Octokit's plugins). */
export function isPermanent(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
}

/** A short, secret-free description of a failed call for logs and user messages. */
export function describeFailure(error: unknown): string {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : String(error).slice(0, 200);
  return status ? `GitHub answered ${status}: ${message}` : message;
}

export const sameRepo = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
