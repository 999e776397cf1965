import { randomBytes } from "node:crypto";
import type { NewDeploy } from "../../src/core/model/deploy.js";
import { aNewDeploy } from "../kit/builders.js";

const RUN = randomBytes(3).toString("hex");
let counter = 0;

/** Names unique to this run and call, so tests sharing one database never see each other's rows. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${RUN}-${counter}`;
}

const BASE = Date.parse("2030-03-01T12:00:00.000Z");

/** A fixed instant `minutes` after the suite's base time, as the ISO text the model uses. */
export function at(minutes: number): string {
  return new Date(BASE + minutes * 60_000).toISOString();
}

export function atDate(minutes: number): Date {
  return new Date(BASE + minutes * 60_000);
}

/** A deploy to insert, with an id of its own and asked for at the suite's base time. */
export function newDeploy(overrides: Partial<NewDeploy> = {}): NewDeploy {
  return aNewDeploy({ id: unique("d"), sha: "0123456789abcdef0123456789abcdef01234567", pipelineName: "donations-pipeline", requestedAt: at(0), ...overrides });
}

/** A deploy with every optional field set, to prove nothing is lost on the way through the store. */
export function fullDeploy(service: string): NewDeploy {
  return newDeploy({
    service,
    env: "prod",
    ref: "v1.2.3",
    actor: "Alice Example",
    actorLogin: "alice",
    actorKey: "login:alice",
    surface: "slack",
    automatic: true,
    reason: "hotfix for checkout",
    forced: true,
    executionId: "exec-1234",
    stages: [
      {
        name: "Bake",
        status: "succeeded",
        startedAt: at(1),
        finishedAt: at(2),
        actions: [
          {
            name: "BakeAmi",
            status: "succeeded",
            startedAt: at(1),
            finishedAt: at(2),
            url: "https://console.aws.amazon.com/x",
            outputVariables: { AMI_ID: "ami-0abc" },
          },
          { name: "Lint", status: "failed", errorCode: "JobFailed", errorMessage: "boom ✗ 🚀" },
        ],
      },
      { name: "Deploy", status: "waiting" },
    ],
    artifact: "ami-0abc",
    error: "none yet",
    reasonCode: "locked",
    waitingReason: "window 'debate' ends 18:00",
    requestedAt: at(0),
    startedAt: at(1),
    finishedAt: at(3),
    slackChannel: "C0123",
    slackTs: "1700000000.000100",
    githubRepo: "hfa/donations",
    githubDeploymentId: 4_294_967_397,
    prNumber: 42,
    prCommentId: 2_400_000_001,
    commandCommentId: 2_400_000_002,
    rollbackOf: "d-previous",
    rollbackTargetExecutionId: "exec-0999",
    autoRollbackId: "d-auto-rollback",
    ownerId: "replica-a",
    leaseExpiresAt: at(5),
  });
}
