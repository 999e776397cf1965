import { describePull } from "../changes/describe-change-set.js";
import type { Deploy } from "../model/deploy.js";
import { formatMoment } from "../policies/format-moment.js";
import type { LiveReleaseView } from "./command-result.js";
import { shortSha } from "./deploy-view.js";

/**
 * A live release as `diff` and `status` show it. Its PR is the one whose merge or comment deployed
 * it; a deploy typed elsewhere names none, and then the newest merged PR it shipped stands for it,
 * which for a deploy of a branch head is the PR that made that head. A deploy that went back to
 * an older sha lists the PRs it took out, none of which is live, so it names none of them.
 */
export function toLiveReleaseView(deploy: Deploy): LiveReleaseView {
  const pulls = deploy.changeSet?.direction === "takes_out" ? [] : (deploy.changeSet?.pulls ?? []);
  const listed = deploy.prNumber !== undefined ? pulls.find((p) => p.number === deploy.prNumber) : pulls[0];
  const number = deploy.prNumber ?? listed?.number;
  return {
    deployId: deploy.id,
    sha: deploy.sha,
    ref: deploy.ref,
    actor: deploy.actor,
    deployedAt: deploy.finishedAt ?? deploy.requestedAt,
    ...(number !== undefined ? { pr: { number, ...(listed ? { title: listed.title, ...(listed.author ? { author: listed.author } : {}) } : {}) } } : {}),
  };
}

/** "1a2b3c4 (#15 Fix the footer — jordan), deployed Tue Nov 3 14:02 EST by alice". */
export function describeLiveRelease(live: LiveReleaseView, timezone: string, now: Date): string {
  const pr = live.pr;
  const named = pr ? ` (${pr.title !== undefined ? describePull({ ...pr, title: pr.title }) : `#${pr.number}`})` : "";
  return `${shortSha(live.sha)}${named}, deployed ${formatMoment(new Date(live.deployedAt), timezone, now)} by ${live.actor}`;
}
