import { blocksText, type SlackCall } from "./fake-slack-api.js";
import { startSlackTestApp, USERS, type SlackTestApp } from "./slack-test-app.js";

const CHANNEL = "C0OPS";

type Blocks = Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
const button = (call: SlackCall, actionId: string) => (call.args.blocks as Blocks).flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);

describe("buttons: Confirm/Cancel, Cancel deploy, Roll back — each does its thing once", () => {
  let t: SlackTestApp;
  beforeEach(async () => {
    t = await startSlackTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const cards = () => t.slack.of("chat.postMessage", (c) => c.args.channel === CHANNEL && !c.args.thread_ts);
  const nthCard = (n: number) => t.slack.waitFor("chat.postMessage", (c) => c.args.channel === CHANNEL && !c.args.thread_ts && cards().indexOf(c) === n);

  async function deployToStaging(ref: string) {
    await t.slash(USERS.octocat, "/deploy", `donations staging ${ref}`, { channel: CHANNEL });
    const card = await nthCard(cards().length);
    const deploy = (await t.store.listDeploys({ service: "donations", env: "staging" })).find((d) => d.ref === ref)!;
    return { card, deploy };
  }

  test("a double-clicked Confirm deploys once and says why the second did nothing", async () => {
    await t.runDeploy((await t.command("deploy donations staging")).deploy!.id);
    const ack = await t.slash(USERS.jordan, "/deploy", "donations prod", { channel: CHANNEL });
    const prompt = await t.response(ack.responseUrl);
    const confirm = button(prompt, "whistlestop_confirm")!;
    const clicks = await Promise.all([1, 2].map(() => t.click({ actionId: confirm.action_id, value: confirm.value, userId: USERS.jordan, channelId: CHANNEL })));
    const answers = await Promise.all(clicks.map((c) => t.response(c.responseUrl)));
    const texts = answers.map((a) => String(a.args.text)).sort();
    expect(texts[0]).toBe("This prompt was already answered; nothing was done twice.");
    expect(texts[1]).toMatch(/^✅ Confirmed by jordan-payments/);
    expect(await t.store.listDeploys({ env: "prod" })).toHaveLength(1);
  });

  test("Cancel on the prompt deploys nothing; a Confirm after it does nothing either", async () => {
    await t.runDeploy((await t.command("deploy donations staging")).deploy!.id);
    const ack = await t.slash(USERS.jordan, "/deploy", "donations prod", { channel: CHANNEL });
    const prompt = await t.response(ack.responseUrl);
    const dismiss = button(prompt, "whistlestop_dismiss")!;
    await t.click({ actionId: dismiss.action_id, value: dismiss.value, userId: USERS.jordan, channelId: CHANNEL, responseUrl: ack.responseUrl });
    expect((await t.response(ack.responseUrl, 1)).args).toMatchObject({ replace_original: true, text: "Cancelled, nothing was deployed." });
    const late = await t.click({ actionId: "whistlestop_confirm", value: dismiss.value, userId: USERS.jordan, channelId: CHANNEL });
    expect((await t.response(late.responseUrl)).args.text).toBe("This prompt was already answered; nothing was done twice.");
    expect(await t.store.listDeploys({ env: "prod" })).toHaveLength(0);
  });

  test("Cancel deploy stops a running deploy once; the card ends cancelled; a click on the stale card changes nothing", async () => {
    const { card, deploy } = await deployToStaging("main");
    const cancel = button(card, "whistlestop_cancel_deploy")!;
    expect(cancel.value).toBe(deploy.id);
    const first = await t.click({ actionId: cancel.action_id, value: cancel.value, userId: USERS.octocat, channelId: CHANNEL, messageTs: String(card.response.ts) });
    expect(first.status).toBe(200);
    expect((await t.response(first.responseUrl)).args.text).toMatch(/^Stopping deploy .+ its pipeline execution is being stopped/);
    const second = await t.click({ actionId: cancel.action_id, value: cancel.value, userId: USERS.octocat, channelId: CHANNEL, messageTs: String(card.response.ts) });
    expect((await t.response(second.responseUrl)).args.text).toMatch(/^You already asked to cancel this deploy; nothing was done twice/);

    expect((await t.runDeploy(deploy.id)).state).toBe("cancelled");
    const final = await t.slack.waitFor("chat.update", (c) => c.args.ts === card.response.ts && blocksText(c.args).includes("⊘ Cancelled"));
    expect(blocksText(final.args)).not.toContain("whistlestop_cancel_deploy");
    const thread = () => t.slack.of("chat.postMessage", (c) => c.args.thread_ts === card.response.ts).map((c) => String(c.args.text));
    await t.slack.waitFor("chat.postMessage", (c) => c.args.thread_ts === card.response.ts && String(c.args.text).startsWith("⊘ Cancelled"));
    expect(thread().filter((text) => text === "🛑 octocat asked to stop this deploy.")).toHaveLength(1);

    const stale = await t.click({ actionId: cancel.action_id, value: cancel.value, userId: USERS.alex, channelId: CHANNEL, messageTs: String(card.response.ts) });
    expect((await t.response(stale.responseUrl)).args.text).toMatch(/^🚫 The deploy .+ has already been cancelled; nothing to cancel/);
    expect(t.emulator.emulator.executions("donations-staging")).toHaveLength(1);
  });

  test("Roll back runs only from the live release's card, once however often it is clicked, and is reported on the old card", async () => {
    const v1 = await deployToStaging("v1");
    await t.runDeploy(v1.deploy.id);
    const v2 = await deployToStaging("v2");
    await t.runDeploy(v2.deploy.id);
    const v1Final = await t.slack.waitFor("chat.update", (c) => c.args.ts === v1.card.response.ts && blocksText(c.args).includes("✅ Succeeded"));
    const v2Final = await t.slack.waitFor("chat.update", (c) => c.args.ts === v2.card.response.ts && blocksText(c.args).includes("✅ Succeeded"));

    const old = button(v1Final, "whistlestop_rollback")!;
    const staleClick = await t.click({ actionId: old.action_id, value: old.value, userId: USERS.octocat, channelId: CHANNEL });
    const staleAnswer = String((await t.response(staleClick.responseUrl)).args.text);
    expect(staleAnswer).toMatch(/^🚫 A newer deploy \(`[0-9a-f]{7}`, deploy `.+`\) is live in donations\/staging, so the rollback of deploy .+ no longer applies; nothing was done/);
    expect(staleAnswer).toContain("_reason: `not_current`_");

    const live = button(v2Final, "whistlestop_rollback")!;
    await Promise.all([USERS.octocat, USERS.alex, USERS.octocat].map((userId) => t.click({ actionId: live.action_id, value: live.value, userId, channelId: CHANNEL })));
    const rollbackCard = await t.slack.waitFor("chat.postMessage", (c) => !c.args.thread_ts && blocksText(c.args).includes("donations → staging · rollback"));
    const rollbacks = (await t.store.listDeploys({ service: "donations", env: "staging" })).filter((d) => d.rollbackOf);
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0]).toMatchObject({ rollbackOf: v2.deploy.id, sha: v1.deploy.sha });

    await t.runDeploy(rollbacks[0]!.id);
    await t.slack.waitFor("chat.postMessage", (c) => c.args.thread_ts === rollbackCard.response.ts && String(c.args.text).startsWith("↩️ Rolled back: donations/staging is on"));
    const onOldCard = await t.slack.waitFor("chat.postMessage", (c) => c.args.thread_ts === v2.card.response.ts && String(c.args.text).startsWith("↩️ Rolled back by"));
    expect(onOldCard.args.text).toContain(v1.deploy.sha.slice(0, 7));
  });
});
