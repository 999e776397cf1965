import type { Deploy } from "../../src/core/model/deploy.js";

export const SHA = "0123456789abcdef0123456789abcdef01234567";

export function deployFixture(overrides: Partial<Deploy> = {}): Deploy {
  return {
    id: "d-test-1",
    service: "donations",
    env: "prod",
    sha: SHA,
    ref: "main",
    actor: "octocat",
    actorLogin: "octocat",
    surface: "slack",
    automatic: false,
    forced: false,
    state: "running",
    seq: 1,
    pipelineName: "donations-production",
    executionId: "exec-1",
    stages: [],
    requestedAt: "2026-10-01T14:00:00.000Z",
    startedAt: "2026-10-01T14:00:00.000Z",
    ...overrides,
  };
}
