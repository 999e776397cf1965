import type { ChangeSet } from "../../src/core/model/change-set.js";

export const LIVE_SHA = "1a2b3c4d5e6f1a2b3c4d5e6f1a2b3c4d5e6f1a2b";
export const DEMO_REPO_URL = "https://github.com/whistlestop-demo/donations";

/** A listed change set of two merged PRs (one without a known author) over LIVE_SHA; fields override. */
export function changeSetFixture(fields: Partial<ChangeSet> = {}): ChangeSet {
  return {
    status: "listed",
    direction: "ships",
    baseSha: LIVE_SHA,
    headSha: "0123456789abcdef0123456789abcdef01234567",
    commitCount: 3,
    pulls: [
      { number: 12, title: "Retry the payment processor on 503", author: "jordan-payments" },
      { number: 11, title: "Log requests as JSON" },
    ],
    pullCount: 2,
    compareUrl: `${DEMO_REPO_URL}/compare/1a2b3c4...0123456`,
    computedAt: "2026-10-01T14:00:01.000Z",
    ...fields,
  };
}
