import { GitHubIdentity } from "../../src/adapters/github/github-identity.js";
import type { GitHubRequest } from "../../src/adapters/github/github-request.js";
import { GitHubSourceControl } from "../../src/adapters/github/github-source-control.js";
import { InstallationClients, NotInstalledError } from "../../src/adapters/github/installation-clients.js";
import { silentLogger } from "../../src/core/ports/logger.js";

type Answer = { status: number; data?: unknown };
const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

/** A request function answering from a table of "ROUTE param=value…" → answer, recording every call. */
function fakeRequest(answers: Record<string, Answer>) {
  const calls: string[] = [];
  const request: GitHubRequest = async (route, parameters = {}) => {
    const filled = route.replace(/\{(\w+)\}/g, (_m, name: string) => String(parameters[name]));
    calls.push(filled);
    const answer = answers[filled];
    if (!answer) throw httpError(404);
    if (answer.status >= 400) throw httpError(answer.status);
    return { status: answer.status, data: answer.data };
  };
  return { request, calls };
}

describe("GitHubIdentity", () => {
  test("maps the collaborator permission API (role_name first), 404 as none, and caches briefly", async () => {
    const { request, calls } = fakeRequest({
      "GET /repos/o/r/collaborators/mia/permission": { status: 200, data: { permission: "write", role_name: "maintain" } },
      "GET /repos/o/r/collaborators/tom/permission": { status: 200, data: { permission: "read", role_name: "custom-auditor" } },
    });
    let now = 0;
    const identity = new GitHubIdentity({ forRepo: async () => request, forOrg: async () => request }, { ttlMs: 60_000, now: () => now });
    expect(await identity.repoPermission("o/r", "mia")).toBe("maintain");
    expect(await identity.repoPermission("o/r", "tom")).toBe("read");
    expect(await identity.repoPermission("o/r", "stranger")).toBe("none");
    expect(await identity.repoPermission("O/R", "MIA")).toBe("maintain");
    expect(calls).toHaveLength(3);
    now = 60_001;
    await identity.repoPermission("o/r", "mia");
    expect(calls).toHaveLength(4);
  });

  test("team membership: active counts, pending and 404 do not; errors are not cached and say what failed", async () => {
    const { request, calls } = fakeRequest({
      "GET /orgs/o/teams/sre/memberships/ana": { status: 200, data: { state: "active" } },
      "GET /orgs/o/teams/sre/memberships/ben": { status: 200, data: { state: "pending" } },
      "GET /orgs/o/teams/sre/memberships/cy": { status: 502 },
    });
    const identity = new GitHubIdentity({ forRepo: async () => request, forOrg: async () => request });
    expect(await identity.isTeamMember("o", "sre", "ana")).toBe(true);
    expect(await identity.isTeamMember("o", "sre", "ben")).toBe(false);
    expect(await identity.isTeamMember("o", "sre", "dan")).toBe(false);
    await expect(identity.isTeamMember("o", "sre", "cy")).rejects.toThrow("Could not check whether cy is in @o/sre on GitHub (GitHub answered 502");
    await expect(identity.isTeamMember("o", "sre", "cy")).rejects.toThrow();
    expect(calls.filter((c) => c.endsWith("/cy"))).toHaveLength(2);
  });
});

describe("GitHubSourceControl", () => {
  const sha = "0123456789abcdef0123456789abcdef01234567";

  test("resolves branches, tags and short shas through the commits API; unknown refs are undefined", async () => {
    const { request, calls } = fakeRequest({
      "GET /repos/o/r/commits/main": { status: 200, data: { sha } },
      "GET /repos/o/r/commits/nope": { status: 422 },
      "GET /repos/o/r": { status: 200, data: { default_branch: "main" } },
    });
    const scm = new GitHubSourceControl({ forRepo: async () => request });
    expect(await scm.resolveRef("o/r", "main")).toBe(sha);
    expect(await scm.resolveRef("o/r", "nope")).toBeUndefined();
    expect(await scm.resolveRef("o/r", "ghost")).toBeUndefined();
    expect(await scm.defaultBranchHead("o/r")).toBe(sha);
    expect(await scm.defaultBranchHead("o/r")).toBe(sha);
    expect(calls.filter((c) => c === "GET /repos/o/r")).toHaveLength(1);
    // A sha seen once needs no second lookup.
    await scm.resolveRef("o/r", sha);
    expect(calls.some((c) => c.endsWith(sha))).toBe(false);
  });

  test("commits GitHub vouched for in a webhook are not looked up; others are", async () => {
    const { request, calls } = fakeRequest({});
    const scm = new GitHubSourceControl({ forRepo: async () => request });
    scm.rememberCommit("o/r", sha);
    expect(await scm.resolveRef("o/r", sha.toUpperCase())).toBe(sha);
    expect(await scm.resolveRef("o/other", sha)).toBeUndefined();
    expect(calls).toEqual([`GET /repos/o/other/commits/${sha}`]);
  });

  test("a GitHub outage is an error that says what to do, not a missing ref", async () => {
    const { request } = fakeRequest({ "GET /repos/o/r/commits/main": { status: 503 } });
    const scm = new GitHubSourceControl({ forRepo: async () => request });
    await expect(scm.resolveRef("o/r", "main")).rejects.toThrow("Could not look up `main` in o/r on GitHub (GitHub answered 503");
  });
});

describe("InstallationClients", () => {
  test("looks an installation up once per repo, reuses ids from webhooks, and says where to install when missing", async () => {
    const { request: appRequest, calls } = fakeRequest({ "GET /repos/o/r/installation": { status: 200, data: { id: 7 } } });
    const auths: Array<number | undefined> = [];
    let now = 0;
    const clients = new InstallationClients(
      async (id) => {
        auths.push(id);
        return { request: appRequest };
      },
      silentLogger,
      () => now,
    );
    await clients.forRepo("o/r");
    await clients.forRepo("O/R");
    expect(calls).toEqual(["GET /repos/o/r/installation"]);
    expect(auths).toEqual([undefined, 7]);
    clients.remember("acme/api", 9);
    await clients.forRepo("acme/api");
    await clients.forOrg("acme");
    expect(calls).toHaveLength(1);
    await expect(clients.forRepo("o/missing")).rejects.toThrow(NotInstalledError);
    await expect(clients.forRepo("o/missing")).rejects.toThrow("The Whistlestop GitHub App is not installed on o/missing");
    expect(calls.filter((c) => c.includes("missing"))).toHaveLength(1);
    now = 61_000;
    await expect(clients.forRepo("o/missing")).rejects.toThrow(NotInstalledError);
    expect(calls.filter((c) => c.includes("missing"))).toHaveLength(2);
  });
});

describe("GitHubIdentity.vouchWriteAccess", () => {
  test("a merger's write access needs no lookup, but a known answer is not overwritten", async () => {
    const { request, calls } = fakeRequest({ "GET /repos/o/r/collaborators/boss/permission": { status: 200, data: { permission: "admin", role_name: "admin" } } });
    const identity = new GitHubIdentity({ forRepo: async () => request, forOrg: async () => request });
    identity.vouchWriteAccess("o/r", "merger");
    expect(await identity.repoPermission("O/R", "Merger")).toBe("write");
    expect(await identity.repoPermission("o/r", "boss")).toBe("admin");
    identity.vouchWriteAccess("o/r", "boss");
    expect(await identity.repoPermission("o/r", "boss")).toBe("admin");
    expect(calls).toEqual(["GET /repos/o/r/collaborators/boss/permission"]);
  });
});
