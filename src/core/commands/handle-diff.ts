import { liveRelease } from "../changes/change-set-request.js";
import { describeChangeSet, describePull, unlistedPulls } from "../changes/describe-change-set.js";
import type { Target } from "../model/config.js";
import type { ChangeSet } from "../model/change-set.js";
import { resolveTarget } from "../model/resolve-target.js";
import { clientScopePolicy } from "../policies/client-scope-policy.js";
import { approvalWait, deployVerdict, type DeployVerdict } from "./check-deploy.js";
import type { DiffCommand } from "./command.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult, DiffView } from "./command-result.js";
import { shortSha } from "./deploy-view.js";
import { resolveSha } from "./handle-deploy.js";
import { describeLiveRelease, toLiveReleaseView } from "./live-release-view.js";
import type { RequestContext } from "./request-context.js";
import { done, refused } from "./results.js";

/**
 * `diff <service> <env> [<ref>]`: what a deploy would ship there, worked out exactly as the deploy
 * would be — the same ref resolution (promote_from's live sha, else the default branch head), the
 * same live release, the app's one change-set builder and its cache — and whether the policies
 * would let it through now. Nothing is stored, started or queued.
 */
export async function handleDiff(deps: CommandDeps, command: DiffCommand, context: RequestContext): Promise<CommandResult> {
  const target = resolveTarget(deps.config, command.service, command.env);
  if (!target) return refused("unknown_service", `Unknown service or environment: ${command.service}/${command.env}.`);
  const resolved = await resolveSha(deps, target, command.ref);
  if ("outcome" in resolved) return resolved;
  const live = await liveRelease(deps.store, target.service, target.env);
  const [changeSet, verdict] = await Promise.all([
    deps.changeSetBuilder.between({ repo: target.repo, sha: resolved.sha, direction: "ships", ...(live ? { liveSha: live.sha } : {}) }),
    verdictFor(deps, target, resolved, context),
  ]);
  const view: DiffView = {
    service: target.service,
    env: target.env,
    ...resolved,
    ...(live ? { live: toLiveReleaseView(live) } : {}),
    changeSet: { ...changeSet, summary: describeChangeSet(changeSet) },
    deployable: verdict.allowed,
    ...(verdict.allowed ? {} : { reasonCode: verdict.reasonCode }),
    verdict: verdictSentence(target, verdict),
    ...(verdict.allowed && verdict.running ? { queuesBehind: verdict.running.id } : {}),
    confirm: target.confirm,
  };
  const now = deps.clock.now();
  const over = view.live ? `; live there: ${describeLiveRelease(view.live, deps.config.timezone, now)}` : "; nothing is live there yet";
  const lines = [
    `${target.service}/${target.env}: a deploy would put ${shortSha(resolved.sha)}${namedRef(resolved)} live${over}.`,
    ...changeSetLines(changeSet),
    view.verdict,
    "Nothing was deployed: diff only looks.",
  ];
  return done(lines.join("\n"), { diff: view });
}

/** " (main)", or nothing when the ref was the sha itself. */
const namedRef = ({ sha, ref }: { sha: string; ref: string }): string => (sha.toLowerCase().startsWith(ref.toLowerCase()) ? "" : ` (${ref})`);

/**
 * Would a deploy by this caller go through now? An API client's scope for deploying comes first
 * (it may read what it may not deploy); then the very decision a deploy would get.
 */
async function verdictFor(deps: CommandDeps, target: Target, resolved: { sha: string; ref: string }, context: RequestContext): Promise<DeployVerdict> {
  const scope = clientScopePolicy(deps.config, context.actor, { verb: "deploy", service: target.service, env: target.env });
  if (!scope.allowed) return scope;
  return deployVerdict(deps, target, resolved, { force: false }, context);
}

function verdictSentence(target: Target, verdict: DeployVerdict): string {
  if (!verdict.allowed) return `A deploy now would be refused (${verdict.reasonCode}): ${verdict.message}`;
  const confirm = target.confirm ? ` ${target.service}/${target.env} asks for confirmation first.` : "";
  const running = verdict.running;
  if (target.approvals) return `A deploy now passes every policy.${approvalWait(target)}${confirm}`;
  if (running) return `A deploy now passes every policy and would queue behind deploy ${running.id} (${shortSha(running.sha)}, running).${confirm}`;
  return `A deploy now passes every policy and would start at once.${confirm}`;
}

/** The change set as plain lines: its sentence, the merged PRs listed, how many more, the compare link. */
function changeSetLines(changeSet: ChangeSet): string[] {
  const more = unlistedPulls(changeSet);
  return [
    describeChangeSet(changeSet),
    ...changeSet.pulls.map((pull) => `• ${describePull(pull)}`),
    ...(more > 0 ? [`• …and ${more} more merged PR${more === 1 ? "" : "s"}`] : []),
    ...(changeSet.compareUrl ? [`Compare: ${changeSet.compareUrl}`] : []),
  ];
}
