import { exampleConfigText, loadTestConfig } from "../kit/test-app.js";
import { blocksText, type SlackCall } from "./fake-slack-api.js";
import { startSlackTestApp, USERS, type SlackTestApp, type SlackTestAppOptions } from "./slack-test-app.js";

const CHANNEL = "C0OPS";
const HOUR = 3_600_000;

type Button = { action_id: string; value: string; style?: string; confirm?: { title: { text: string } } };
const buttons = (call: SlackCall): Button[] => (call.args.blocks as Array<{ elements?: Button[] }>).flatMap((b) => b.elements ?? []).filter((e) => e.action_id);
const button = (call: SlackCall, actionId: string) => buttons(call).find((e) => e.action_id === actionId);

/** examples/whistlestop.yml, with one approval from donations/prod's deployers (the payments team) or an admin. */
function approvalsConfig(extra: { announceChannel?: string } = {}) {
  const text = exampleConfigText().replace(
    '        deployers: ["@whistlestop-demo/payments", "api:sandbox"]',
    '        deployers: ["@whistlestop-demo/payments", "api:sandbox"]\n        approvals: { required: 1 }',
  );
  if (!text.includes("approvals: { required: 1 }")) throw new Error("the example config changed: donations prod deployers not found");
  return { ...loadTestConfig(text), ...extra };
}

/**
 * Four-eyes deploys through the real server and signed Slack requests: jordan (payments) asks for
 * donations/prod; octocat (payments) or alex (admin) may approve; executions are counted in the
 * CodePipeline emulator behind the real SDK client.
 */
describe("Slack: approvals on the deploy card", () => {
  let t: SlackTestApp;
  let offsetMs = 0;
  const start = async (options: SlackTestAppOptions = {}) => {
    offsetMs = 0;
    t = await startSlackTestApp({
      config: approvalsConfig(),
      // The app's clock can be moved forward; Slack's signatures stay checked against real time.
      clock: { now: () => new Date(Date.now() + offsetMs) },
      surface: { now: () => Date.now() },
      ...options,
    });
  };
  afterEach(async () => {
    await t.close();
  });

  const executions = () => t.emulator.emulator.executions("donations-production");
  const cards = () => t.slack.of("chat.postMessage", (c) => c.args.channel === CHANNEL && !c.args.thread_ts);

  /** staging runs main, then jordan asks for prod: the card that awaits approval, and the deploy. */
  async function jordanAsksForProd() {
    await t.runDeploy((await t.command("deploy donations staging")).deploy!.id);
    const ack = await t.slash(USERS.jordan, "/deploy", "donations prod --yes", { channel: CHANNEL });
    const answer = await t.response(ack.responseUrl);
    const card = await t.slack.waitFor("chat.postMessage", (c) => c.args.channel === CHANNEL && !c.args.thread_ts && blocksText(c.args).includes("donations → prod"));
    const [deploy] = await t.store.listDeploys({ service: "donations", env: "prod" });
    return { answer: String(answer.args.text), card, deploy: deploy! };
  }

  const clickAs = async (userId: string, actionId: string, card: SlackCall) => {
    const click = await t.click({ actionId, value: button(card, actionId)!.value, userId, channelId: CHANNEL, messageTs: String(card.response.ts) });
    return String((await t.response(click.responseUrl)).args.text);
  };

  test("the deploy waits with Approve (behind a confirm dialog) and Reject; the requester's own Approve is refused with self_approval", async () => {
    await start();
    const { answer, card, deploy } = await jordanAsksForProd();
    expect(deploy).toMatchObject({ state: "awaiting_approval", actor: "jordan-payments" });
    expect(answer).toContain(`awaits approval (deploy ${deploy.id})`);
    expect(blocksText(card.args)).toContain("🗳️ Awaiting approval: 0 of 1 approval");
    expect(blocksText(card.args)).toContain("needs 1 more approval from its deployers (@whistlestop-demo/payments, api:sandbox) or an admin");
    expect(button(card, "whistlestop_approve")).toMatchObject({ value: deploy.id, style: "primary", confirm: { title: { text: "Approve this deploy?" } } });
    expect(button(card, "whistlestop_reject")).toMatchObject({ value: deploy.id, style: "danger" });
    expect(button(card, "whistlestop_cancel_deploy")).toBeUndefined();

    const own = await clickAs(USERS.jordan, "whistlestop_approve", card);
    expect(own).toMatch(/^🚫 You asked for deploy .+ yourself, so your approval does not count/);
    expect(own).toContain("_reason: `self_approval`_");
    expect(executions()).toHaveLength(0);
    expect(await t.store.getDeploy(deploy.id)).toMatchObject({ state: "awaiting_approval" });
  });

  test("another engineer's Approve starts it, with exactly one execution; the card names the approver", async () => {
    await start();
    const { card, deploy } = await jordanAsksForProd();
    const reply = await clickAs(USERS.octocat, "whistlestop_approve", card);
    expect(reply).toMatch(new RegExp(`^Approved by octocat \\(1 of 1 approval\\): deploy ${deploy.id} of donations/prod at [0-9a-f]{7} started\\.$`));
    expect(executions()).toHaveLength(1);
    expect((await t.runDeploy(deploy.id)).state).toBe("succeeded");
    const final = await t.slack.waitFor("chat.update", (c) => c.args.ts === card.response.ts && blocksText(c.args).includes("✅ Succeeded"));
    expect(blocksText(final.args)).toContain("Approved by octocat");
    expect(executions()).toHaveLength(1);
    const audit = await t.store.listAudit({ deployId: deploy.id });
    expect(audit.filter((e) => e.action === "approve").map((e) => [e.actor, e.outcome])).toEqual([["octocat", "started"]]);
  });

  test("two approvers clicking at once start one execution; the slower is told it was already approved", async () => {
    await start();
    const { card, deploy } = await jordanAsksForProd();
    const replies = await Promise.all([USERS.octocat, USERS.alex].map((user) => clickAs(user, "whistlestop_approve", card)));
    const started = replies.filter((r) => r.startsWith("Approved by"));
    const late = replies.filter((r) => r.includes("no longer awaits approval"));
    expect([started.length, late.length]).toEqual([1, 1]);
    expect(late[0]).toContain("_reason: `not_found`_");
    expect(executions()).toHaveLength(1);
    expect((await t.runDeploy(deploy.id)).state).toBe("succeeded");
    expect(executions()).toHaveLength(1);
  });

  test("a lock taken during the wait turns the approval into a refusal with locked; nothing runs", async () => {
    await start();
    const { card, deploy } = await jordanAsksForProd();
    const lock = await t.slash(USERS.alex, "/lock", "donations prod for 1h incident review", { channel: CHANNEL });
    expect(String((await t.response(lock.responseUrl)).args.text)).toContain("incident review");
    const reply = await clickAs(USERS.octocat, "whistlestop_approve", card);
    expect(reply).toContain("was decided again and did not go: dropped from the queue: donations/prod is locked by alex-sre");
    expect(reply).toContain("_reason: `locked`_");
    expect(await t.store.getDeploy(deploy.id)).toMatchObject({ state: "cancelled", reasonCode: "locked" });
    await t.slack.waitFor("chat.update", (c) => c.args.ts === card.response.ts && blocksText(c.args).includes("⊘ Cancelled"));
    expect(executions()).toHaveLength(0);
  });

  test("Reject cancels it with who did it; a later Approve changes nothing", async () => {
    await start();
    const { card, deploy } = await jordanAsksForProd();
    expect(await clickAs(USERS.alex, "whistlestop_reject", card)).toMatch(/^Rejected deploy .+; it will not run\.$/);
    const cancelled = await t.slack.waitFor("chat.update", (c) => c.args.ts === card.response.ts && blocksText(c.args).includes("⊘ Cancelled"));
    expect(blocksText(cancelled.args)).toContain("rejected by alex-sre");
    expect(await clickAs(USERS.octocat, "whistlestop_approve", card)).toContain("_reason: `not_found`_");
    expect(await t.store.getDeploy(deploy.id)).toMatchObject({ state: "cancelled", error: "rejected by alex-sre" });
    expect(executions()).toHaveLength(0);
  });

  test("with a fake clock the request expires: the sweep cancels it, the card says so, and a late Approve is told it expired", async () => {
    await start();
    const { card, deploy } = await jordanAsksForProd();
    offsetMs = HOUR + 1000;
    await t.app.sweep();
    expect(await t.store.getDeploy(deploy.id)).toMatchObject({ state: "cancelled", reasonCode: "approval_expired" });
    const expired = await t.slack.waitFor("chat.update", (c) => c.args.ts === card.response.ts && blocksText(c.args).includes("⊘ Cancelled"));
    expect(blocksText(expired.args)).toContain("approval request expired: not enough approvals came before");
    expect(buttons(expired)).toEqual([]);
    const late = await clickAs(USERS.octocat, "whistlestop_approve", card);
    expect(late).toContain("_reason: `approval_expired`_");
    expect(executions()).toHaveLength(0);
    expect((await t.store.listAudit({ deployId: deploy.id })).filter((e) => e.action === "expire")).toHaveLength(1);
  });

  test("/deploy approve <id> works as typed, like the button", async () => {
    await start();
    const { deploy } = await jordanAsksForProd();
    const ack = await t.slash(USERS.octocat, "/deploy", `approve ${deploy.id}`, { channel: CHANNEL });
    expect(String((await t.response(ack.responseUrl)).args.text)).toMatch(/^Approved by octocat .* started\.$/);
    expect(executions()).toHaveLength(1);
    expect(cards().filter((c) => blocksText(c.args).includes("donations → prod"))).toHaveLength(1);
  });

  test("break glass: a forced deploy is announced once in announce_channel, naming who, what and why", async () => {
    await start({ config: approvalsConfig({ announceChannel: "C0DEPLOYS" }) });
    const lock = await t.slash(USERS.jordan, "/lock", "donations staging for 1h load test", { channel: CHANNEL });
    await t.response(lock.responseUrl);
    await t.slash(USERS.alex, "/deploy", 'donations staging --force --reason "checkout is down"', { channel: CHANNEL });
    const announcement = await t.slack.waitFor("chat.postMessage", (c) => c.args.channel === "C0DEPLOYS");
    const [forced] = await t.store.listDeploys({ service: "donations", env: "staging" });
    expect(String(announcement.args.text)).toBe(
      `🚨 *Break glass:* alex-sre forced donations/staging to \`${forced!.sha.slice(0, 7)}\` past 🔒 jordan-payments's lock on donations/staging (load test). Reason: _checkout is down_ (deploy \`${forced!.id}\`).`,
    );
    expect((await t.runDeploy(forced!.id)).state).toBe("succeeded");
    await t.slack.waitFor("chat.update", (c) => blocksText(c.args).includes("✅ Succeeded"));
    expect(t.slack.of("chat.postMessage", (c) => c.args.channel === "C0DEPLOYS")).toHaveLength(1);
    const audit = await t.store.listAudit({ deployId: forced!.id });
    expect(audit.find((e) => e.action === "deploy --force")).toMatchObject({ actor: "alex-sre", message: expect.stringContaining("FORCED past: locked (checkout is down)") });
  });
});
