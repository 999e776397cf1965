import type { ComparedCommit, Comparison } from "../../core/ports/source-control.js";
import { describeFailure, isNotFound, splitRepo, statusOf, type GitHubRequest } from "./github-request.js";

const STATUSES = new Set(["ahead", "behind", "identical", "diverged"]);

/**
 * GitHub's compare of `base...head` (GET /repos/{o}/{r}/compare/{basehead}): one call, without
 * paging, so GitHub lists up to 250 commits and counts the rest in ahead_by. A sha GitHub does not
 * know (force-pushed away and collected) or two histories with nothing in common is an answer
 * (404/422 → unknown_commit); anything else that fails throws with a secret-free reason.
 */
export async function compareOnGitHub(request: GitHubRequest, repo: string, base: string, head: string): Promise<Comparison> {
  let data: unknown;
  try {
    ({ data } = await request("GET /repos/{owner}/{repo}/compare/{basehead}", { ...splitRepo(repo), basehead: `${base}...${head}` }));
  } catch (error) {
    if (isNotFound(error) || statusOf(error) === 422) return { kind: "unknown_commit" };
    throw new Error(`GitHub's compare of ${base.slice(0, 7)}...${head.slice(0, 7)} in ${repo} failed (${describeFailure(error)})`, { cause: error });
  }
  return comparisonFrom(data);
}

/** The parts of GitHub's answer a change set needs, checked rather than trusted. */
export function comparisonFrom(data: unknown): Comparison {
  const body = (data ?? {}) as { status?: unknown; ahead_by?: unknown; behind_by?: unknown; commits?: unknown; html_url?: unknown };
  const status = typeof body.status === "string" && STATUSES.has(body.status) ? (body.status as "ahead" | "behind" | "identical" | "diverged") : undefined;
  if (!status || !isCount(body.ahead_by) || !isCount(body.behind_by) || !Array.isArray(body.commits)) {
    throw new Error("GitHub's compare answer did not have the expected shape");
  }
  const commits = body.commits.map(commitFrom).filter((c): c is ComparedCommit => c !== undefined);
  const url = typeof body.html_url === "string" && /^https?:\/\//.test(body.html_url) ? body.html_url : undefined;
  return { kind: "compared", status, aheadBy: body.ahead_by, behindBy: body.behind_by, commits, ...(url ? { url } : {}) };
}

function commitFrom(raw: unknown): ComparedCommit | undefined {
  const entry = (raw ?? {}) as { sha?: unknown; commit?: { message?: unknown }; author?: { login?: unknown } | null; parents?: unknown };
  if (typeof entry.sha !== "string") return undefined;
  const login = entry.author?.login;
  const parents = Array.isArray(entry.parents) ? entry.parents.map((p) => (p as { sha?: unknown })?.sha).filter((s): s is string => typeof s === "string") : [];
  return {
    sha: entry.sha.toLowerCase(),
    message: typeof entry.commit?.message === "string" ? entry.commit.message : "",
    ...(typeof login === "string" ? { author: login } : {}),
    parents: parents.map((s) => s.toLowerCase()),
  };
}

const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;
