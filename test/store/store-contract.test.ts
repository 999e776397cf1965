import { approvalCases } from "./contract/approval-cases.js";
import { auditCases } from "./contract/audit-cases.js";
import { concurrencyCases } from "./contract/concurrency-cases.js";
import { dashboardSessionCases } from "./contract/dashboard-session-cases.js";
import { deployCases } from "./contract/deploy-cases.js";
import { doraCases } from "./contract/dora-cases.js";
import { identityCases } from "./contract/identity-cases.js";
import { lockCases } from "./contract/lock-cases.js";
import { operationsCases } from "./contract/operations-cases.js";
import { prNoticeCases } from "./contract/pr-notice-cases.js";
import { queueCases } from "./contract/queue-cases.js";
import { recordCases } from "./contract/record-cases.js";
import { reminderCases } from "./contract/reminder-cases.js";
import { requestCases } from "./contract/request-cases.js";
import { stageRunCases } from "./contract/stage-run-cases.js";
import { verificationCases } from "./contract/verification-cases.js";
import { CONTRACT_HARNESSES, type StoreHarness } from "./store-harness.js";

/**
 * One contract, every implementation: the same cases run against SQLite, PostgreSQL and the
 * MemoryStore that drives the core tests.
 * PostgreSQL comes from TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and
 * works in a schema of its own, dropped afterwards. Jest's global setup starts an embedded
 * PostgreSQL when neither that variable nor a server on 127.0.0.1:5432 provides one.
 */
describe.each(CONTRACT_HARNESSES)("store contract [$name]", (factory) => {
  let harness: StoreHarness | undefined;
  const current = (): StoreHarness => {
    if (!harness) throw new Error(`the ${factory.name} store did not open; see the beforeAll error above`);
    return harness;
  };

  beforeAll(async () => {
    harness = await factory.setUp();
  });

  afterAll(async () => {
    await harness?.tearDown();
  });

  deployCases(current);
  concurrencyCases(current);
  lockCases(current);
  queueCases(current);
  recordCases(current);
  auditCases(current);
  requestCases(current);
  operationsCases(current);
  identityCases(current);
  approvalCases(current);
  prNoticeCases(current);
  reminderCases(current);
  stageRunCases(current);
  dashboardSessionCases(current);
  verificationCases(current);
  doraCases(current);
});
