import { slackSurface } from "../../src/adapters/slack/slack-surface.js";
import { WebClientSlackApi } from "../../src/adapters/slack/web-client-slack-api.js";
import type { WhistlestopConfig } from "../../src/core/model/config.js";
import type { Deploy } from "../../src/core/model/deploy.js";
import { ADMIN_TOKEN, loadTestConfig } from "../kit/test-app.js";
import { FakeSlackApi, type SlackCall } from "../slack/fake-slack-api.js";
import { BOT_TOKEN, SIGNING_SECRET } from "../slack/slack-requests.js";
import type { FakeCommit, RecordedCall } from "./fake-github-api.js";
import { startGitHubTestApp, type GitHubTestApp } from "./github-test-kit.js";
import { REPO } from "./webhook-fixtures.js";

const LIVE = "1".repeat(40);
const HEAD = "feedfacefeedfacefeedfacefeedfacefeedface";
const PRS = 50;
/** people maps the first three; linked-dev linked themself; newcomer is on Slack under no known id. */
const AUTHORS = ["octocat", "alex-sre", "jordan-payments", "linked-dev", "newcomer"];
const SECONDARY = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

/** 50 squash-merged PRs, #1 oldest, by five authors in turn, each on top of the one before. */
function fiftyMergedPrs(): FakeCommit[] {
  return Array.from({ length: PRS }, (_, i) => ({
    sha: (i + 1).toString(16).padStart(40, "c"),
    message: `Change ${i + 1} (#${i + 1})`,
    author: AUTHORS[i % AUTHORS.length]!,
    parents: [i === 0 ? LIVE : i.toString(16).padStart(40, "c")],
  }));
}

/** The example configuration with prod mentioning authors and donations commenting on its PRs. */
function noticeConfig(): WhistlestopConfig {
  const config = loadTestConfig();
  return {
    ...config,
    environments: { ...config.environments, prod: { ...config.environments.prod!, mentionAuthors: true } },
    services: { ...config.services, donations: { ...config.services.donations!, notifyPrs: true } },
  };
}

interface NoticeApp {
  readonly g: GitHubTestApp;
  readonly slack: FakeSlackApi;
  readonly sleeps: number[];
  /** Run a command to its end and wait until every report of it (change set, cards, comments) is out. */
  ship(text: string, token?: string): Promise<Deploy>;
  close(): Promise<void>;
}

/** The real server with the GitHub surface on the fake GitHub API and the Slack surface on a fake Slack. */
async function startNoticeApp(throttle = false): Promise<NoticeApp> {
  const slack = await FakeSlackApi.start();
  const sleeps: number[] = [];
  const api = new WebClientSlackApi({ botToken: BOT_TOKEN, apiUrl: slack.apiUrl, sleep: async (ms) => void sleeps.push(ms), retries: 0 });
  const surface = slackSurface({ settings: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl, githubUrl: "https://github.com", teamIds: [] }, api, cardUpdateIntervalMs: 20 });
  const g = await startGitHubTestApp({ config: noticeConfig(), surfaces: [surface], throttle });
  await g.t.store.putSlackLink({ teamId: "T0WHISTLE", userId: "U0LINKEDDV", login: "Linked-Dev", linkedAt: "2026-12-01T09:00:00.000Z" });
  const ship = async (text: string, token?: string): Promise<Deploy> => {
    const result = await g.t.command(text, token);
    expect(result.deploy).toBeDefined();
    const deploy = await g.t.runDeploy(result.deploy!.id);
    await g.t.app.changeSets.idle();
    await g.settle();
    return deploy;
  };
  return {
    g,
    slack,
    sleeps,
    ship,
    async close() {
      await g.close();
      await slack.close();
    },
  };
}

const commentPosts = (calls: readonly RecordedCall[]) => calls.filter((c) => c.method === "POST" && /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(c.path));
const commentEdits = (calls: readonly RecordedCall[]) => calls.filter((c) => c.method === "PATCH" && /\/issues\/comments\/\d+$/.test(c.path));
const prOf = (call: RecordedCall) => Number(/\/issues\/(\d+)\/comments$/.exec(call.path)![1]);
const threadOf = (slack: FakeSlackApi, deploy: Deploy): SlackCall[] => slack.of("chat.postMessage", (c) => c.args.thread_ts === deploy.slackTs);

describe("telling people their change shipped, end to end", () => {
  let app: NoticeApp;
  afterEach(() => app.close());

  test("a 50-PR promotion: one comment per PR from staging, prod edits the same comments, one thread reply mentions the authors, through a 429 on each side", async () => {
    app = await startNoticeApp();
    const { g, slack } = app;
    await app.ship(`deploy donations staging ${LIVE}`);
    await app.ship("deploy donations prod --yes", ADMIN_TOKEN);
    expect(g.github.apiCalls().filter((c) => /\/comments$/.test(c.path))).toEqual([]);
    g.github.comparisons.set(`${REPO}@${LIVE}...${HEAD}`, { commits: fiftyMergedPrs() });

    // GitHub's rate limit answers one comment in the middle of the 50.
    g.github.fail("POST", /\/issues\/25\/comments$/, 429, 1, { message: "API rate limit exceeded", headers: { "retry-after": "1" } });
    const staging = await app.ship(`deploy donations staging ${HEAD}`);
    expect(staging).toMatchObject({ state: "succeeded", changeSet: { status: "listed", pullCount: PRS } });
    expect(staging.changeSet!.pulls).toHaveLength(10);
    const posts = commentPosts(g.github.calls);
    expect(posts.filter((c) => c.status === 429).map(prOf)).toEqual([25]);
    const created = posts.filter((c) => c.status === 201);
    expect(created.map(prOf).sort((a, b) => a - b)).toEqual(Array.from({ length: PRS }, (_, i) => i + 1));
    const commentOfPr = new Map(created.map((c) => [prOf(c), (c.response as { id: number }).id]));
    expect(String(created[0]!.body!.body)).toMatch(/^<!-- whistlestop:shipped -->\n🚢 Shipped to \*\*staging\*\* at .* \(deploy `[\w-]+`\)\.$/m);
    // Staging does not mention authors: only prod asks for it.
    expect(threadOf(slack, staging).map((c) => String(c.args.text))).not.toContainEqual(expect.stringContaining("Shipped to"));

    // The promotion: Slack's rate limit answers the authors' reply once; GitHub's answers one edit.
    slack.fail("chat.postMessage", 1, { status: 429, retryAfter: 3, when: (args) => String(args.text).startsWith("🚢") });
    g.github.fail("PATCH", new RegExp(`/issues/comments/${commentOfPr.get(30)}$`), 429, 1, { headers: { "retry-after": "1" } });
    const prod = await app.ship("deploy donations prod --yes", ADMIN_TOKEN);
    expect(prod).toMatchObject({ state: "succeeded", sha: HEAD, changeSet: { status: "listed", pullCount: PRS } });

    // Every PR still has exactly one comment, now edited to list prod as well.
    expect(commentPosts(g.github.calls).filter((c) => c.status === 201)).toHaveLength(PRS);
    const edits = commentEdits(g.github.calls);
    expect(edits.filter((c) => c.status === 429)).toHaveLength(1);
    const edited = edits.filter((c) => c.status === 200);
    expect(edited).toHaveLength(PRS);
    expect(new Set(edited.map((c) => Number(c.path.split("/").at(-1))))).toEqual(new Set(commentOfPr.values()));
    for (const edit of edited) expect(String(edit.body!.body)).toMatch(/🚢 Shipped to \*\*staging\*\* at .*, \*\*prod\*\* at .* \(deploy `[\w-]+`\)\./);
    // One compare served both deploys.
    expect(g.github.calls.filter((c) => c.path.includes("/compare/"))).toHaveLength(1);

    const replies = threadOf(slack, prod).filter((c) => String(c.args.text).startsWith("🚢"));
    expect(replies).toHaveLength(1);
    const text = String(replies[0]!.args.text);
    expect(text).toMatch(/^🚢 Shipped to \*prod\*: /);
    for (const mention of ["<@U024BE7LH>", "<@U0ALEXSRE>", "<@U0JORDANP>", "<@U0LINKEDDV>", "newcomer ("]) expect(text).toContain(mention);
    expect(text).toContain(`<https://github.com/${REPO}/pull/50|#50>`);
    expect(slack.calls.filter((c) => c.method === "chat.postMessage" && c.status === 429)).toHaveLength(1);
    expect(app.sleeps).toContain(3000);

    // Hearing prod's end again (a restart's catch-up, another replica) writes nothing more anywhere.
    const before = { github: g.github.calls.length, replies: threadOf(slack, prod).length };
    g.t.app.notifications.send("succeeded", (await g.t.store.getDeploy(prod.id))!, "(reported again after a restart)");
    await g.settle();
    expect(commentPosts(g.github.calls.slice(before.github))).toEqual([]);
    expect(commentEdits(g.github.calls.slice(before.github))).toEqual([]);
    expect(threadOf(slack, prod).length).toBe(before.replies);
  });

  test("with Octokit's throttling on, as in production, a secondary rate limit on a PR comment is waited out and the comment made once", async () => {
    app = await startNoticeApp(true);
    const { g } = app;
    await app.ship(`deploy donations staging ${LIVE}`);
    const two = fiftyMergedPrs().slice(0, 2);
    g.github.comparisons.set(`${REPO}@${LIVE}...${two[1]!.sha}`, { commits: two });
    g.github.fail("POST", /\/issues\/1\/comments$/, 403, 1, { message: SECONDARY, headers: { "retry-after": "2" } });
    await app.ship(`deploy donations staging ${two[1]!.sha}`);
    const posts = commentPosts(g.github.calls);
    expect(posts.map((c) => [prOf(c), c.status]).sort()).toEqual([[1, 201], [1, 403], [2, 201]]);
  });
});
