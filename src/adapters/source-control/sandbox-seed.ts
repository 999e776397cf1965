import { SANDBOX_DEFAULT_BRANCH as MAIN, SandboxHistory } from "./sandbox-history.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The feature branch every sandbox repository has: two commits, not merged. */
export const SANDBOX_FEATURE_BRANCH = "feature/faster-checkout";
/** Tags of every sandbox repository: v1.0.0 is older than v1.1.0, both on main. */
export const SANDBOX_TAGS = ["v1.0.0", "v1.1.0"] as const;

/** The logins of examples/whistlestop.yml's people, so authors mean something in the demo. */
const AUTHORS = ["octocat", "jordan-payments", "alex-sre"] as const;

/** Titles of the pull requests merged once an hour while the sandbox runs. */
const HOURLY_TITLES = [
  "Cache the donation form's config",
  "Tidy up request logging",
  "Bump the base image",
  "Show a spinner while a payment is processed",
  "Fix the receipt email's footer",
  "Retry the CRM sync on timeouts",
] as const;

/**
 * The history every sandbox repository starts with, dated back from `startedAt` (when this
 * sandbox was first run): a month of work on `main` with four merged pull requests, two tags,
 * and a feature branch still open.
 */
export function seedSandboxHistory(repo: string, startedAt: Date): SandboxHistory {
  const ago = (days: number) => new Date(startedAt.getTime() - days * DAY_MS);
  const history = new SandboxHistory(repo);
  history.commit(MAIN, { message: "Initial commit", author: "octocat", committedAt: ago(30) });
  history.commit(MAIN, { message: "Add a health check endpoint", author: "alex-sre", committedAt: ago(21) });
  const packer = history.mergePull(MAIN, { number: 1, title: "Bake the service image with Packer", author: "alex-sre", headBranch: "packer", mergedAt: ago(14) });
  history.tag(SANDBOX_TAGS[0], packer);
  const logging = history.mergePull(MAIN, { number: 2, title: "Log requests as JSON", author: "octocat", headBranch: "json-logs", mergedAt: ago(7) });
  history.commit(SANDBOX_FEATURE_BRANCH, { message: "Load the checkout script lazily", author: "jordan-payments", committedAt: ago(2) }, { parent: logging });
  history.commit(SANDBOX_FEATURE_BRANCH, { message: "Prefetch the payment form", author: "jordan-payments", committedAt: ago(1) });
  const retry = history.mergePull(MAIN, { number: 3, title: "Retry the payment processor on 503", author: "jordan-payments", headBranch: "retry-503", mergedAt: ago(3) });
  history.tag(SANDBOX_TAGS[1], retry);
  history.mergePull(MAIN, { number: 4, title: "Update dependencies", author: "octocat", headBranch: "deps", mergedAt: ago(1) });
  return history;
}

/**
 * Hour `hour` (1, 2, …) after `startedAt` a pull request is merged into `main`, so repeated demo
 * deploys of the default branch ship something new. Pull request numbers continue after the seed's.
 */
export function mergeHourlyPull(history: SandboxHistory, startedAt: Date, hour: number): void {
  const number = 4 + hour;
  history.mergePull(MAIN, {
    number,
    title: HOURLY_TITLES[(hour - 1) % HOURLY_TITLES.length]!,
    author: AUTHORS[(hour - 1) % AUTHORS.length]!,
    headBranch: `change-${number}`,
    mergedAt: new Date(startedAt.getTime() + hour * HOUR_MS),
  });
}

/** Whole hours from `startedAt` to `now` (never negative: a clock set back adds nothing). */
export function hoursSince(startedAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - startedAt.getTime()) / HOUR_MS));
}
