import type { Deploy } from "../../src/core/model/deploy.js";
import { aDeploy } from "../kit/builders.js";

export const SHA = "0123456789abcdef0123456789abcdef01234567";

/** The Slack suites' deploy: octocat's, running in donations/prod. */
export const deployFixture = (overrides: Partial<Deploy> = {}): Deploy =>
  aDeploy({
    id: "d-test-1",
    env: "prod",
    sha: SHA,
    actor: "octocat",
    actorLogin: "octocat",
    surface: "slack",
    pipelineName: "donations-production",
    executionId: "exec-1",
    requestedAt: "2026-10-01T14:00:00.000Z",
    startedAt: "2026-10-01T14:00:00.000Z",
    ...overrides,
  });
