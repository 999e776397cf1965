import type { SlackCall } from "./fake-slack-api.js";
import { startSlackTestApp, USERS, type SlackTestApp } from "./slack-test-app.js";

const CHANNEL = "C0OPS";
const MINUTE = 60_000;

type Blocks = Array<{ type: string; elements?: Array<{ action_id?: string; value?: string; text?: string | { text: string } }> }>;
const button = (call: SlackCall, actionId: string) => (call.args.blocks as Blocks).flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId)!;

/** Confirm/Cancel prompts are answered within 15 minutes; later, the click is told so and runs nothing. */
describe("a confirmation prompt expires after 15 minutes", () => {
  let t: SlackTestApp;
  let offsetMs = 0;
  beforeEach(async () => {
    offsetMs = 0;
    // The app's clock can be moved forward; Slack's signatures stay checked against real time.
    t = await startSlackTestApp({ clock: { now: () => new Date(Date.now() + offsetMs) }, surface: { now: () => Date.now() } });
    await t.runDeploy((await t.command("deploy donations staging")).deploy!.id);
  });
  afterEach(async () => {
    await t.close();
  });

  async function prompt() {
    const ack = await t.slash(USERS.jordan, "/deploy", "donations prod", { channel: CHANNEL });
    const shown = await t.response(ack.responseUrl);
    return { ack, shown, confirm: button(shown, "whistlestop_confirm"), dismiss: button(shown, "whistlestop_dismiss") };
  }

  test("the prompt says until when; a Confirm after that replaces it with why nothing ran, and deploys nothing", async () => {
    const { ack, shown, confirm } = await prompt();
    const note = (shown.args.blocks as Blocks).find((b) => b.type === "context")!;
    expect(JSON.stringify(note)).toMatch(/Answer by <!date\^\d+\^\{time\}\|\d\d:\d\d UTC> \(15 minutes\); after that, run the command again\./);

    offsetMs = 15 * MINUTE;
    await t.click({ actionId: confirm.action_id!, value: confirm.value!, userId: USERS.jordan, channelId: CHANNEL, responseUrl: ack.responseUrl });
    const late = await t.response(ack.responseUrl, 1);
    expect(late.args).toMatchObject({ replace_original: true });
    expect(String(late.args.text)).toMatch(/^⌛ This confirmation expired at \d\d:\d\d ES?T: a prompt can be answered for 15 minutes\. Nothing was deployed or rolled back\. Run the command again for a new prompt\.$/);
    expect(await t.store.listDeploys({ env: "prod" })).toHaveLength(0);

    // Asking again gives a fresh prompt that works.
    const again = await prompt();
    await t.click({ actionId: again.confirm.action_id!, value: again.confirm.value!, userId: USERS.jordan, channelId: CHANNEL, responseUrl: again.ack.responseUrl });
    expect(String((await t.response(again.ack.responseUrl, 1)).args.text)).toMatch(/^✅ Confirmed by jordan-payments/);
    expect(await t.store.listDeploys({ env: "prod" })).toHaveLength(1);
  });

  test("a Confirm a moment before the end still deploys; Cancel after the end says it expired too", async () => {
    const first = await prompt();
    const second = await prompt();
    offsetMs = 15 * MINUTE - 5_000;
    await t.click({ actionId: first.confirm.action_id!, value: first.confirm.value!, userId: USERS.jordan, channelId: CHANNEL, responseUrl: first.ack.responseUrl });
    expect(String((await t.response(first.ack.responseUrl, 1)).args.text)).toMatch(/^✅ Confirmed by jordan-payments/);
    offsetMs = 16 * MINUTE;
    await t.click({ actionId: second.dismiss.action_id!, value: second.dismiss.value!, userId: USERS.jordan, channelId: CHANNEL, responseUrl: second.ack.responseUrl });
    expect(String((await t.response(second.ack.responseUrl, 1)).args.text)).toMatch(/^⌛ This confirmation expired at/);
    expect(await t.store.listDeploys({ env: "prod" })).toHaveLength(1);
  });
});
