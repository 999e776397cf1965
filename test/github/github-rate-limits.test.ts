import { whistlestopOctokit } from "../../src/adapters/github/create-github-integration.js";
import { FakeGitHubApi } from "./fake-github-api.js";

const SECONDARY = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

/**
 * GitHub's secondary rate limits are waited out and retried. Probot's own handler logs
 * them and gives up; Whistlestop's Octokit (throttling on, as in production) tries again after
 * Retry-After, a few times. `retryBaseMs: 1` makes one second of Retry-After last a millisecond;
 * each try still waits for Octokit's write pacing (a second between writes).
 */
describe("GitHub rate limits", () => {
  let github: FakeGitHubApi;
  const warnings: string[] = [];
  const log = { warn: (_fields: object, message?: string) => void warnings.push(message ?? "") };
  beforeEach(async () => {
    github = await new FakeGitHubApi().start();
    warnings.length = 0;
  });
  afterEach(async () => {
    await github.close();
  });
  const octokit = () => new (whistlestopOctokit({ retryBaseMs: 1 }, log))({ baseUrl: github.baseUrl, auth: "ghs_test" });
  const createDeployment = () => octokit().request("POST /repos/{owner}/{repo}/deployments", { owner: "hfa", repo: "donations", ref: "a".repeat(40) });

  test("a secondary rate limit is waited out and the write made on the next try", async () => {
    github.fail("POST", /\/deployments$/, 403, 1, { message: SECONDARY, headers: { "retry-after": "3" } });
    const response = await createDeployment();
    expect(response.status).toBe(201);
    expect(github.calls.filter((c) => c.path === "/repos/hfa/donations/deployments").map((c) => c.status)).toEqual([403, 201]);
    expect(warnings).toEqual(["GitHub secondary rate limit hit; waiting, then trying again"]);
  });

  test("one that keeps answering is given up after three retries, with the error", async () => {
    github.fail("POST", /\/deployments$/, 403, 10, { message: SECONDARY, headers: { "retry-after": "1" } });
    await expect(createDeployment()).rejects.toMatchObject({ status: 403 });
    expect(github.calls.filter((c) => c.path === "/repos/hfa/donations/deployments")).toHaveLength(4);
    expect(warnings.at(-1)).toBe("GitHub secondary rate limit hit again; giving up on this request");
  });
});
