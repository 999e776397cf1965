import type { Identity, RepoPermission } from "../../src/core/ports/source-control.js";
import { LogCapture } from "../http/http-test-kit.js";
import { FakeGitHubOAuth } from "./fake-github-oauth.js";
import { TEAM_ID } from "./slack-requests.js";
import { startSlackTestApp, USERS, type SlackTestApp } from "./slack-test-app.js";

const CLIENT_ID = "Iv1.linktest";
const CLIENT_SECRET = "oauth-client-secret-0123456789";
/** What the links say; the test sends its requests to the app's real address instead. */
const PUBLIC_URL = "http://whistlestop.test";
const NEWBIE = USERS.unmapped;

/** GitHub as this test sees it: monalisa has write on every repo, nobody is on any team. */
const identity: Identity = {
  repoPermission: async (_repo, login): Promise<RepoPermission> => (login === "monalisa" ? "write" : "read"),
  isTeamMember: async () => false,
};

describe("/deploy link and personal tokens, end to end (real server, signed Slack requests, a fake GitHub)", () => {
  let t: SlackTestApp;
  let github: FakeGitHubOAuth;
  let offsetMs = 0;
  const logs = new LogCapture();
  const local = (url: string) => url.replace(PUBLIC_URL, t.url);
  const page = async (url: string) => {
    const response = await fetch(local(url), { redirect: "manual" });
    return { status: response.status, text: await response.text(), location: response.headers.get("location") ?? "" };
  };
  const ask = async (user: string, text: string): Promise<string> => {
    const ack = await t.slash(user, "/deploy", text);
    return String((await t.response(ack.responseUrl)).args.text);
  };
  const linkUrl = async (user: string) => /(http:\/\/whistlestop\.test\/auth\/github\/start\?state=[A-Za-z0-9_-]+)/.exec(await ask(user, "link"))![1]!;
  const unescape = (html: string) => html.replaceAll("&amp;", "&");

  beforeAll(async () => {
    github = await new FakeGitHubOAuth(CLIENT_ID, CLIENT_SECRET, "monalisa").start();
    t = await startSlackTestApp({
      identity,
      clock: { now: () => new Date(Date.now() + offsetMs) },
      logDestination: logs,
      surface: {
        now: () => Date.now(),
        linking: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, publicUrl: PUBLIC_URL, webUrl: github.url, apiUrl: `${github.url}/api/v3` },
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await github.close();
  });

  it("links through GitHub's OAuth flow; the state works once; the linked user can then deploy", async () => {
    expect(await ask(NEWBIE, "donations staging")).toContain("does not know your GitHub login");
    const start = await page(await linkUrl(NEWBIE));
    expect(start.status).toBe(200);
    expect(start.text).toContain(`This links the Slack user <strong>${NEWBIE}</strong> (workspace ${TEAM_ID})`);
    const authorize = unescape(/href="([^"]+)"/.exec(start.text)![1]!);
    expect(authorize).toContain(`${github.url}/login/oauth/authorize?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(`${PUBLIC_URL}/auth/github/callback`)}`);
    const back = await page(authorize);
    expect(back.status).toBe(302);
    const callback = await page(back.location);
    expect(callback).toMatchObject({ status: 200 });
    expect(callback.text).toContain("now acts as <strong>monalisa</strong>");
    expect(github.exchanges).toEqual([expect.objectContaining({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: `${PUBLIC_URL}/auth/github/callback` })]);
    await t.slack.waitFor("chat.postMessage", (c) => c.args.channel === NEWBIE && String(c.args.text).includes("monalisa"));

    const replayed = await page(back.location);
    expect(replayed.status).toBe(400);
    expect(replayed.text).toContain("already used or is more than 10 minutes old");

    const ack = await t.slash(NEWBIE, "/deploy", "donations staging");
    const card = await t.slack.waitFor("chat.postMessage", (c) => String(c.args.text).includes("donations") && String(c.args.text).includes("monalisa"));
    expect(card).toBeDefined();
    expect(t.responses(ack.responseUrl)).toHaveLength(0);
    const [deploy] = await t.store.listDeploys({ service: "donations", env: "staging" });
    expect(deploy).toMatchObject({ actor: "monalisa", actorLogin: "monalisa", surface: "slack" });
    expect((await t.store.listAudit({ limit: 50 })).some((a) => a.action === "link" && a.outcome === "done" && a.actor === "monalisa")).toBe(true);
  });

  it("an expired state is refused at both ends and links nobody", async () => {
    const user = "U0EXPIRED1";
    const url = await linkUrl(user);
    offsetMs = 11 * 60_000;
    try {
      expect((await page(url)).status).toBe(400);
      const state = new URL(url).searchParams.get("state")!;
      const callback = await page(`${t.url}/auth/github/callback?code=abc&state=${state}`);
      expect(callback.status).toBe(400);
      expect(callback.text).toContain("more than 10 minutes old");
    } finally {
      offsetMs = 0;
    }
    expect(await t.store.getSlackLink({ teamId: TEAM_ID, userId: user })).toBeUndefined();
  });

  it("bad input to the auth routes gets a clear 4xx page and changes nothing", async () => {
    const user = "U0BADINPUT";
    const url = await linkUrl(user);
    const state = new URL(url).searchParams.get("state")!;
    const cases: Array<[string, number, string]> = [
      [`${t.url}/auth/github/start`, 400, "no valid state"],
      [`${t.url}/auth/github/start?state=${"A".repeat(43)}`, 400, "already used or is more than 10 minutes old"],
      [`${t.url}/auth/github/callback?state=${state}`, 400, "missing its code or state"],
      [`${t.url}/auth/github/callback?error=access_denied&error_description=The+user+has+denied+%3Cscript%3E&state=${state}`, 400, "The user has denied &lt;script&gt;"],
      [`${t.url}/auth/github/start?state=${"a".repeat(5000)}`, 414, "longer than any link"],
      [`${t.url}/auth/github/elsewhere`, 404, "nothing here"],
    ];
    for (const [address, status, text] of cases) {
      const answer = await page(address);
      expect({ address: address.slice(0, 80), status: answer.status }).toEqual({ address: address.slice(0, 80), status });
      expect(answer.text).toContain(text);
    }
    const posted = await fetch(`${t.url}/auth/github/callback?state=${state}&code=abc`, { method: "POST" });
    expect(posted.status).toBe(405);
    expect(await t.store.getSlackLink({ teamId: TEAM_ID, userId: user })).toBeUndefined();
    // None of that used the state up: the real flow still works with it.
    const start = await page(url);
    expect(start.status).toBe(200);
  });

  it("a personal token acts with its owner's rights; revoked, it gets 401", async () => {
    const issued = await ask(NEWBIE, "token");
    const secret = /`(wsp_[A-Za-z0-9_-]+)`/.exec(issued)![1]!;
    const id = /`(pt-[0-9a-f]+)`/.exec(issued)![1]!;
    expect(issued).toContain("acts as monalisa");

    const staging = await t.command("deploy events staging", secret);
    expect(staging).toMatchObject({ status: 200, outcome: "started", deploy: { actor: "monalisa" } });
    const prod = await t.command("deploy donations prod main --yes", secret);
    expect(prod).toMatchObject({ status: 200, outcome: "refused", reasonCode: "permission_denied" });
    expect(prod.message).toContain("monalisa may not deploy donations/prod");

    expect(await ask(NEWBIE, "tokens")).toContain(`\`${id}\` as monalisa`);
    expect(await ask(NEWBIE, `token revoke ${id}`)).toContain(`Revoked personal token \`${id}\``);
    const revoked = await fetch(`${t.url}/api/v1/commands`, {
      method: "POST",
      headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" },
      body: JSON.stringify({ text: "deploys" }),
    });
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { error: string }).error).toContain(`Personal token ${id} was revoked`);
    const audit = await t.store.listAudit({ limit: 100 });
    expect(audit.filter((a) => a.action.startsWith("token")).map((a) => a.action)).toEqual(expect.arrayContaining(["token issue", "token revoke"]));
  });

  it("after unlink the person is unknown again and their tokens stop working", async () => {
    const secret = /`(wsp_[A-Za-z0-9_-]+)`/.exec(await ask(NEWBIE, "token"))![1]!;
    expect(await ask(NEWBIE, "unlink")).toContain("no longer acts as monalisa");
    expect((await t.command("deploys", secret)).status).toBe(401);
    expect(await ask(NEWBIE, "donations staging")).toContain("does not know your GitHub login");
  });

  it("never logs a state, a code, a token or the client secret", () => {
    expect(logs.text.length).toBeGreaterThan(0);
    for (const secret of [CLIENT_SECRET, ...github.tokens.keys()]) expect(logs.text).not.toContain(secret);
    expect(logs.text).not.toMatch(/state=[A-Za-z0-9_-]{43}/);
    expect(logs.text).not.toMatch(/wsp_[A-Za-z0-9_-]{20}/);
    expect(logs.text).not.toMatch(/code\d+x{16}/);
  });
});
