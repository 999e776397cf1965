import { AuthorMentionNotifier } from "../../src/adapters/slack/author-mention-notifier.js";
import { authorMentionText, MAX_MENTION_TEXT } from "../../src/adapters/slack/author-mention-text.js";
import { SlackRefusedError, type PostOptions, type SlackMessage } from "../../src/adapters/slack/slack-api.js";
import { PeopleDirectory } from "../../src/core/identity/people-directory.js";
import type { PullRef } from "../../src/core/model/change-set.js";
import type { WhistlestopConfig } from "../../src/core/model/config.js";
import type { Deploy } from "../../src/core/model/deploy.js";
import type { DeployEvent } from "../../src/core/ports/notifier.js";
import { changeSetFixture } from "../fakes/change-set-fixture.js";
import { MemoryDatabase, MemoryStore } from "../fakes/memory-store.js";
import { FakeTime } from "../kit/fake-time.js";
import { RecordingLogger } from "../kit/recording-logger.js";
import { loadTestConfig } from "../kit/test-app.js";
import { deployFixture } from "./deploy-fixture.js";

const PULLS: PullRef[] = [{ number: 15, author: "octocat" }, { number: 14, author: "carol" }, { number: 13 }, { number: 12, author: "OctoCat" }];
const USERS = new Map([["octocat", "U024BE7LH"]]);
const url = (n: number) => `https://github.com/hfa/donations/pull/${n}`;

describe("the authors' mention text", () => {
  test("mentions who has a Slack user, names who has not, groups each author's PRs, and puts unknown authors last", () => {
    expect(authorMentionText({ news: { kind: "shipped", pulls: PULLS }, env: "prod", slackUsers: USERS, pullUrl: url })).toBe(
      `🚢 Shipped to *prod*: <@U024BE7LH> (<${url(15)}|#15>, <${url(12)}|#12>), carol (<${url(14)}|#14>), author unknown (<${url(13)}|#13>)`,
    );
  });

  test("a failed deploy says its PRs did not ship; logins cannot become markup", () => {
    expect(authorMentionText({ news: { kind: "not_shipped", pulls: [{ number: 3, author: "<!channel>" }] }, env: "prod", slackUsers: new Map() })).toBe(
      "⚠️ Not shipped to *prod*: the deploy failed. Its PRs: &lt;!channel&gt; (#3)",
    );
  });

  test("250 PRs stay readable: links go first, then the numbers, never the mentions", () => {
    const pulls = Array.from({ length: 250 }, (_, i) => ({ number: 1000 + i, author: `author-${i % 125}` }));
    const users = new Map(Array.from({ length: 125 }, (_, i) => [`author-${i}`, `U0AUTHOR${i}`]));
    const plain = authorMentionText({ news: { kind: "shipped", pulls: pulls.slice(0, 60) }, env: "prod", slackUsers: users, pullUrl: url });
    expect(plain).not.toContain("https://");
    expect(plain).toContain("<@U0AUTHOR0> (#1000), <@U0AUTHOR1> (#1001)");
    const counted = authorMentionText({ news: { kind: "shipped", pulls }, env: "prod", slackUsers: users, pullUrl: url });
    expect(counted.length).toBeLessThanOrEqual(MAX_MENTION_TEXT);
    expect(counted).toContain("<@U0AUTHOR0> (2 PRs)");
    expect(counted.match(/<@U0AUTHOR\d+>/g)).toHaveLength(125);
  });
});

/** Slack as the notifier sees it: every post recorded; `failWith` makes the next posts throw. */
class RecordingSlack {
  readonly posts: Array<{ channel: string; message: SlackMessage; options?: PostOptions }> = [];
  failWith: Error[] = [];
  async postMessage(channel: string, message: SlackMessage, options?: PostOptions): Promise<{ channel: string; ts: string }> {
    const failure = this.failWith.shift();
    if (failure) throw failure;
    this.posts.push({ channel, message, ...(options ? { options } : {}) });
    return { channel, ts: `1.${this.posts.length}` };
  }
}

function mentioningConfig(): WhistlestopConfig {
  const config = loadTestConfig();
  return { ...config, environments: { ...config.environments, prod: { ...config.environments.prod!, mentionAuthors: true } } };
}

describe("the authors' mention in the card's thread", () => {
  const time = new FakeTime("2026-10-01T14:10:00Z");
  let database: MemoryDatabase;
  let slack: RecordingSlack;
  let logger: RecordingLogger;
  let config: WhistlestopConfig;
  const replica = () => {
    const store = new MemoryStore(database);
    const directory = new PeopleDirectory(config, store);
    return { store, notifier: new AuthorMentionNotifier({ api: slack, store, config, directory, clock: time.clock, logger, githubUrl: "https://github.com" }) };
  };
  const ended = (overrides: Partial<Deploy> = {}): DeployEvent => ({
    type: "succeeded",
    at: "2026-10-01T14:10:00.000Z",
    deploy: deployFixture({ state: "succeeded", slackChannel: "C0DONATIONS", slackTs: "1700000000.000100", changeSet: changeSetFixture({ allPulls: PULLS }), ...overrides }),
  });

  beforeEach(() => {
    database = new MemoryDatabase();
    slack = new RecordingSlack();
    logger = new RecordingLogger();
    config = mentioningConfig();
  });

  test("one reply in the card's thread, once, however many replicas and restarts hear the end", async () => {
    const [a, b] = [replica(), replica()];
    await Promise.all([a.notifier.notify(ended()), b.notifier.notify(ended())]);
    await replica().notifier.notify(ended());
    await a.notifier.notify({ ...ended(), type: "progress" });
    expect(slack.posts).toEqual([{ channel: "C0DONATIONS", message: { text: expect.stringMatching(/^🚢 Shipped to \*prod\*: <@U024BE7LH> /) }, options: { threadTs: "1700000000.000100" } }]);
  });

  test("a post that failed is posted by the same replica when the event comes again, and by no other", async () => {
    const [a, b] = [replica(), replica()];
    slack.failWith = [new Error("socket hang up")];
    await expect(a.notifier.notify(ended())).rejects.toThrow("socket hang up");
    await b.notifier.notify(ended());
    expect(slack.posts).toHaveLength(0);
    await a.notifier.notify(ended());
    expect(slack.posts).toHaveLength(1);
  });

  test("Slack refusing the reply for good is logged, not thrown, and not tried again", async () => {
    const { notifier } = replica();
    slack.failWith = [new SlackRefusedError("not_in_channel", "chat.postMessage")];
    await notifier.notify(ended());
    await notifier.notify(ended());
    expect(slack.posts).toHaveLength(0);
    expect(logger.lines).toEqual([expect.objectContaining({ level: "warn", code: "not_in_channel", deployId: "d-test-1" })]);
  });

  test("the card's place is read from the store when the event's copy of the deploy predates it", async () => {
    const { store, notifier } = replica();
    const event = ended({ slackChannel: undefined, slackTs: undefined });
    store.deploys.set(event.deploy.id, { ...event.deploy, slackChannel: "C0DONATIONS", slackTs: "1700000000.000100" });
    await notifier.notify(event);
    expect(slack.posts).toHaveLength(1);
  });

  test("a change set stored after the end: the refresh that carries it posts the reply", async () => {
    const { notifier } = replica();
    await notifier.notify(ended({ changeSet: undefined }));
    expect(slack.posts).toHaveLength(0);
    await notifier.notify({ ...ended(), type: "progress" });
    expect(slack.posts).toHaveLength(1);
  });

  test("nobody is mentioned for a rollback, a cancelled or running deploy, a deploy without a card, or where mention_authors is off", async () => {
    const { notifier } = replica();
    await notifier.notify(ended({ rollbackOf: "d-0", changeSet: changeSetFixture({ direction: "takes_out", allPulls: PULLS }) }));
    await notifier.notify({ ...ended({ state: "cancelled" }), type: "cancelled" });
    await notifier.notify({ ...ended({ state: "running" }), type: "progress" });
    await notifier.notify(ended({ slackChannel: undefined, slackTs: undefined }));
    await notifier.notify(ended({ env: "staging" }));
    expect(slack.posts).toEqual([]);
  });

  test("a failed deploy tells its authors their PRs did not ship", async () => {
    const { notifier } = replica();
    await notifier.notify({ ...ended({ state: "failed" }), type: "failed" });
    expect(slack.posts[0]?.message.text).toMatch(/^⚠️ Not shipped to \*prod\*: the deploy failed\. Its PRs: <@U024BE7LH>/);
  });
});
