import { blocksText } from "./fake-slack-api.js";
import { startSlackTestApp, USERS, type SlackTestApp } from "./slack-test-app.js";

const CHANNEL = "C0PAYMENTS";

describe("locks from chat: /lock, a refused deploy, the owner's own deploy, and an admin forcing through", () => {
  let t: SlackTestApp;
  beforeEach(async () => {
    t = await startSlackTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  /** prod promotes from staging: something must be live there first. */
  async function shipToStaging(): Promise<void> {
    const staged = await t.command("deploy donations staging");
    await t.runDeploy(staged.deploy!.id);
  }

  test("the whole scenario", async () => {
    await shipToStaging();

    // 1. jordan locks donations/prod for debate prep; the channel is told.
    const lock = await t.slash(USERS.jordan, "/lock", "donations prod for 2h debate prep", { channel: CHANNEL });
    const announced = await t.response(lock.responseUrl);
    expect(announced.args).toMatchObject({ response_type: "in_channel" });
    expect(announced.args.text).toMatch(/^🔒 Locked: donations\/prod by jordan-payments until .+ \(debate prep\)/);
    const [held] = await t.store.listLocks(new Date());
    expect(Math.abs(Date.parse(held!.expiresAt!) - Date.parse(held!.createdAt) - 2 * 3600 * 1000)).toBeLessThan(1000);

    // 2. octocat (also a payments deployer) is refused, ephemerally, with owner, reason, end and the way through.
    const refused = await t.slash(USERS.octocat, "/deploy", "donations prod", { channel: CHANNEL });
    expect(refused.text).toBe("");
    const refusal = await t.response(refused.responseUrl);
    expect(refusal.args.response_type).toBe("ephemeral");
    const text = String(refusal.args.text);
    expect(text).toMatch(/^🚫 donations\/prod is locked by jordan-payments since .+ until .+ \(debate prep\)/);
    expect(text).toContain("Ask jordan-payments to `unlock donations prod`");
    expect(text).toContain("if you are an admin, add --force --reason");
    expect(text).toContain("reason: `locked`");
    expect(await t.store.listDeploys({ env: "prod" })).toHaveLength(0);

    // 3. jordan's own deploy passes the lock; prod asks for confirmation first.
    const own = await t.slash(USERS.jordan, "/deploy", "donations prod", { channel: CHANNEL });
    const prompt = await t.response(own.responseUrl);
    expect(prompt.args.text).toMatch(/asks for confirmation/);
    const confirm = (prompt.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === "actions")!.elements![0]!;
    expect(confirm.action_id).toBe("whistlestop_confirm");
    const click = await t.click({ actionId: confirm.action_id, value: confirm.value, userId: USERS.jordan, channelId: CHANNEL, responseUrl: own.responseUrl });
    expect(click.status).toBe(200);
    const confirmed = await t.response(own.responseUrl, 1);
    expect(confirmed.args).toMatchObject({ replace_original: true });
    expect(confirmed.args.text).toMatch(/^✅ Confirmed by jordan-payments: Deploy of donations\/prod at [0-9a-f]{7} \(live in staging\) started/);
    const card = await t.slack.waitFor("chat.postMessage", (c) => c.args.channel === CHANNEL && !c.args.thread_ts);
    expect(blocksText(card.args)).toContain("donations → prod");
    const [jordans] = await t.store.listDeploys({ env: "prod" });
    expect(jordans).toMatchObject({ actor: "jordan-payments", state: "running", forced: false });

    // 4. alex, an admin, forces a deploy through jordan's lock with a reason: announced loudly in its thread.
    await t.slash(USERS.alex, "/deploy", 'donations prod --force --reason "hotfix for the donate button" --yes', { channel: CHANNEL });
    const forcedCard = await t.slack.waitFor("chat.postMessage", (c) => c.args.channel === CHANNEL && !c.args.thread_ts && c !== card);
    const announcement = await t.slack.waitFor("chat.postMessage", (c) => c.args.thread_ts === forcedCard.response.ts && String(c.args.text).includes("FORCED"));
    expect(announcement.args.text).toBe("⚠️ *FORCED* by alex-sre past 🔒 jordan-payments's lock on donations/prod (debate prep). Reason: _hotfix for the donate button_");
    expect(announcement.args.reply_broadcast).toBe("true");
    expect(blocksText(forcedCard.args)).toContain("⚠️ *Forced* past a lock or window: hotfix for the donate button");
    const alexs = (await t.store.listDeploys({ env: "prod" })).find((d) => d.actor === "alex-sre");
    expect(alexs).toMatchObject({ forced: true, reason: "hotfix for the donate button", state: "queued" });
    // It waits behind jordan's deploy and says where it stands.
    await t.slack.waitFor("chat.postMessage", (c) => c.args.thread_ts === forcedCard.response.ts && String(c.args.text).startsWith("⏳ Waiting in the queue — position 1"));
    const audit = await t.store.listAudit({ deployId: alexs!.id });
    expect(audit.map((a) => a.action)).toContain("deploy --force");
  });
});
