import type { DeployView } from "../../src/core/commands/command-result.js";
import type { Deploy, NewDeploy } from "../../src/core/model/deploy.js";
import type { Lock } from "../../src/core/model/lock.js";
import type { Actor } from "../../src/core/model/actor.js";
import type { StartRequest } from "../../src/core/ports/pipeline.js";

/**
 * One builder per model type. Each sets only the fields the type requires, with plain values;
 * a test (or a suite's one-line wrapper) overrides what it is about, so what it asserts on is
 * written where it is asserted.
 */

const REQUESTED_AT = "2026-11-03T19:00:00.000Z";
/** What every view of a deploy shares: who asked for what, where. */
const ASKED = { id: "d-1", service: "donations", env: "staging", sha: "a".repeat(40), ref: "main", actor: "alice", surface: "api" } as const;

/** A deploy as it is asked for, before the store gives it a state and a place in the queue. */
export function aNewDeploy(overrides: Partial<NewDeploy> = {}): NewDeploy {
  return { ...ASKED, automatic: false, forced: false, pipelineName: "donations-staging", requestedAt: REQUESTED_AT, ...overrides };
}

/** A stored deploy; running unless told otherwise. */
export function aDeploy(overrides: Partial<Deploy> = {}): Deploy {
  const { stages: _stages, approval: _approval, ...asked } = aNewDeploy();
  return { ...asked, state: "running", seq: 1, stages: [], ...overrides };
}

/** A deploy as the HTTP API shows it. */
export function aDeployView(overrides: Partial<DeployView> = {}): DeployView {
  return { ...ASKED, state: "running", stages: [], artifact: null, forced: false, requestedAt: REQUESTED_AT, ...overrides };
}

/** A lock on donations/prod; its owner key follows the owner's name unless given. */
export function aLock(overrides: Partial<Lock> = {}): Lock {
  const owner = overrides.owner ?? "alice";
  return { service: "donations", env: "prod", owner, ownerKey: `login:${owner.toLowerCase()}`, createdAt: REQUESTED_AT, ...overrides };
}

/** Who asks, on each surface. */
export const anApiActor = (client = "ci"): Actor => ({ surface: "api", name: `api:${client}`, apiClient: client });
export const aGitHubActor = (login: string): Actor => ({ surface: "github", name: login, login });
export const aSlackActor = (userId: string, login?: string): Actor => ({ surface: "slack", name: login ?? userId, login, slackUserId: userId });

/** What the core asks CodePipeline to start. */
export function aStartRequest(overrides: Partial<StartRequest> = {}): StartRequest {
  return { pipelineName: "donations-staging", sourceAction: "Source", sha: ASKED.sha, deployId: "deploy-1", actor: "octocat", ...overrides };
}
