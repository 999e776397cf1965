import type { SlackMessage } from "../../src/adapters/slack/slack-api.js";
import type { DeployView } from "../../src/core/commands/command-result.js";
import { CountingSandbox } from "../fakes/counting-sandbox.js";
import { ADMIN_TOKEN, TEST_TOKEN } from "../kit/test-app.js";
import { blockKitProblems } from "../slack/block-kit-limits.js";
import { startSlackTestApp, type SlackTestApp } from "../slack/slack-test-app.js";

const REPO = "whistlestop-demo/donations";
const STARTED = new Date("2026-11-03T12:00:00Z");
const HOUR = 3_600_000;

/**
 * Change sets through the real server: the sandbox's history as GitHub, the Slack surface on a
 * fake Slack, deploys over the HTTP API and the emulator. The tests share one server and run in
 * order: each starts from what the one before left live in staging and prod.
 */
describe("change sets end to end", () => {
  let t: SlackTestApp;
  let source: CountingSandbox;
  beforeAll(async () => {
    source = new CountingSandbox({ startedAt: STARTED, now: () => new Date(STARTED.getTime() + 11 * HOUR + 60_000) });
    t = await startSlackTestApp({ sourceControl: source });
  });
  afterAll(() => t.close());

  const history = () => source.history(REPO);
  /** Run a command to its end, then wait until its change set is stored and every surface has shown it. */
  const ship = async (text: string, token = TEST_TOKEN): Promise<DeployView> => {
    const result = await t.command(text, token);
    expect(result.deploy).toBeDefined();
    await t.runDeploy(result.deploy!.id);
    await t.app.changeSets.idle();
    await t.app.notifications.idle();
    const response = await fetch(`${t.url}/api/v1/deploys/${result.deploy!.id}`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as DeployView;
  };
  /** The newest version of a deploy's card (posted, then edited in place). */
  const cardOf = async (deployId: string, containing: string): Promise<SlackMessage> => {
    const call = await t.slack.waitFor("chat.update", (c) => JSON.stringify(c.args.blocks).includes(deployId) && JSON.stringify(c.args.blocks).includes(containing));
    return call.args as unknown as SlackMessage;
  };
  const changesOf = (card: SlackMessage): string =>
    (card.blocks as unknown as Array<{ type: string; text?: { text: string } }>).find((b) => /^\*(Changes|Takes out)\*/.test(b.text?.text ?? ""))!.text!.text;

  test("a promotion of 12 PRs, then a rollback that takes them out: the API and the card list them, with one compare for all three", async () => {
    const v110 = history().resolve("v1.1.0")!;
    const main = history().branchHead("main")!;

    const stagingFirst = await ship("deploy donations staging v1.1.0");
    expect(stagingFirst.changeSet).toMatchObject({ status: "first_deploy", headSha: v110, summary: "First deploy here: nothing was live, so there is nothing to compare with." });
    const prodFirst = await ship("deploy donations prod --yes", ADMIN_TOKEN);
    expect(prodFirst).toMatchObject({ sha: v110, changeSet: { status: "first_deploy" } });

    const staging = await ship("deploy donations staging main");
    expect(staging.changeSet).toMatchObject({ status: "listed", direction: "ships", baseSha: v110, headSha: main, commitCount: 12, pullCount: 12 });

    // Promotion: what staging has that prod has not.
    const prod = await ship("deploy donations prod --yes", ADMIN_TOKEN);
    expect(prod.sha).toBe(main);
    expect(prod.changeSet).toMatchObject({
      status: "listed",
      direction: "ships",
      baseSha: v110,
      headSha: main,
      commitCount: 12,
      pullCount: 12,
      summary: `Ships 12 commits and 12 merged PRs since ${v110.slice(0, 7)}.`,
    });
    expect(prod.changeSet!.pulls.map((p) => p.number)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    expect(prod.changeSet!.pulls[0]).toEqual({ number: 15, title: "Fix the receipt email's footer", author: "jordan-payments" });
    const prodCard = await cardOf(prod.id, "Ships 12 commits");
    expect(blockKitProblems(prodCard)).toEqual([]);
    expect(changesOf(prodCard)).toContain(`• <https://github.com/${REPO}/pull/15|#15> Fix the receipt email's footer — jordan-payments`);
    expect(changesOf(prodCard).split("\n").at(-1)).toBe("_…and 2 more merged PRs_");

    // The rollback lists what it takes out of prod: the same twelve PRs.
    const rollback = await ship("rollback donations prod --yes", ADMIN_TOKEN);
    expect(rollback).toMatchObject({ sha: v110, rollbackOf: prod.id, state: "succeeded" });
    expect(rollback.changeSet).toMatchObject({
      status: "listed",
      direction: "takes_out",
      baseSha: main,
      headSha: v110,
      commitCount: 12,
      pullCount: 12,
      summary: `Takes out 12 commits and 12 merged PRs of ${main.slice(0, 7)}, the live release.`,
    });
    const rollbackCard = await cardOf(rollback.id, "Takes out 12 commits");
    expect(changesOf(rollbackCard)).toMatch(/^\*Takes out\*/);

    // staging main, the promotion and the rollback all compare v1.1.0 with main: GitHub is asked once.
    expect(source.compares).toEqual([`${v110.slice(0, 7)}...${main.slice(0, 7)}`]);
  });

  test("a deploy of an older ref says what it takes out; redeploying the live sha ships nothing", async () => {
    const back = await ship("deploy donations staging v1.0.0");
    expect(back.changeSet).toMatchObject({ status: "listed", direction: "takes_out", commitCount: 14, pullCount: 14 });
    expect(back.changeSet!.summary).toMatch(/^Takes out 14 commits and 14 merged PRs of [0-9a-f]{7}, the live release\.$/);
    const again = await ship("deploy donations staging v1.0.0");
    expect(again.changeSet).toMatchObject({ status: "listed", commitCount: 0, summary: `Nothing changes: ${again.sha.slice(0, 7)} is what is live.` });
  });

  test("the event stream carries the change set once it is known", async () => {
    const result = await t.command("deploy donations staging main");
    const id = result.deploy!.id;
    await t.app.changeSets.idle();
    const response = await fetch(`${t.url}/api/v1/deploys/${id}/events`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } });
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    await reader.cancel();
    const snapshot = new TextDecoder().decode(value).split("\n").find((line) => line.startsWith("data: "))!;
    expect(JSON.parse(snapshot.slice(6))).toMatchObject({ deploy: { id, changeSet: { status: "listed", direction: "ships", commitCount: 14 } } });
    await t.runDeploy(id);
  });
});
