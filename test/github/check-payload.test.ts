import { BadPayloadError, checkPayload } from "../../src/adapters/github/check-payload.js";
import { issueComment, mergedPullRequest } from "./webhook-fixtures.js";

describe("checkPayload", () => {
  it("keeps only the fields the handlers read, so the inbox stores a small row instead of GitHub's whole payload", () => {
    const full = mergedPullRequest({ number: 7, mergeSha: "a".repeat(40), merger: "mona" });
    const checked = checkPayload("pull_request.closed", full);
    expect(checked).toEqual({
      action: "closed",
      repository: { full_name: "whistlestop-demo/donations", default_branch: "main" },
      sender: { login: "mona", type: "User" },
      installation: { id: 1 },
      // merged_at is when the PR merged (lead time); the example payload leaves it empty.
      pull_request: { number: 7, merged: true, merged_at: null, merge_commit_sha: "a".repeat(40), merged_by: { login: "mona", type: "User" }, base: { ref: "main" } },
    });
    expect(JSON.stringify(checked).length).toBeLessThan(JSON.stringify(full).length / 20);
  });

  it("keeps what a comment command reads: whether the issue is a pull request, the comment's body and author", () => {
    const onPr = checkPayload("issue_comment.created", issueComment({ body: "/deploy donations staging", onPullRequest: true }));
    expect(onPr.issue.pull_request).toBeDefined();
    expect(onPr.comment.body).toBe("/deploy donations staging");
    expect(onPr.comment.user?.login).toBeDefined();
    const onIssue = checkPayload("issue_comment.created", issueComment({ body: "/deploy donations staging", onPullRequest: false }));
    expect(onIssue.issue.pull_request).toBeUndefined();
  });

  it("refuses a payload without a field it reads, naming the field", () => {
    const full = mergedPullRequest({ mergeSha: "b".repeat(40) });
    delete (full.pull_request as Record<string, unknown>).base;
    expect(() => checkPayload("pull_request.closed", full)).toThrow(BadPayloadError);
    expect(() => checkPayload("pull_request.closed", full)).toThrow(/pull_request\.base/);
  });
});
