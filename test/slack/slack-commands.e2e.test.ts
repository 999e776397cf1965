import { blocksText } from "./fake-slack-api.js";
import { sendSlashCommand, slashCommandBody, postSigned } from "./slack-requests.js";
import { startSlackTestApp, USERS, type SlackTestApp } from "./slack-test-app.js";

/** The top-level card a channel got (not a thread reply). */
const cardIn = (t: SlackTestApp, channel: string) => t.slack.waitFor("chat.postMessage", (c) => c.args.channel === channel && !c.args.thread_ts);
const repliesTo = (t: SlackTestApp, ts: string) => t.slack.of("chat.postMessage", (c) => c.args.thread_ts === ts).map((c) => String(c.args.text));

describe("Slack slash commands end to end (real server, signed requests, fake Slack Web API)", () => {
  let t: SlackTestApp;
  beforeEach(async () => {
    t = await startSlackTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  test("/deploy: immediate empty ack, one card in the channel edited in place to the end, thread replies for start and success", async () => {
    const ack = await t.slash(USERS.octocat, "/deploy", "donations staging", { channel: "C0OPS" });
    expect(ack).toMatchObject({ status: 200, text: "" });

    const card = await cardIn(t, "C0OPS");
    const ts = String(card.response.ts);
    expect(blocksText(card.args)).toContain('"text":"donations → staging"');
    expect(blocksText(card.args)).toContain("octocat");
    const [deploy] = await t.store.listDeploys({ service: "donations", env: "staging" });
    expect(blocksText(card.args)).toContain(`<https://github.com/whistlestop-demo/donations/commit/${deploy!.sha}|${deploy!.sha.slice(0, 7)}>`);

    await t.runDeploy(deploy!.id);
    const final = await t.slack.waitFor("chat.update", (c) => blocksText(c.args).includes("✅ Succeeded"));
    await t.slack.waitFor("chat.postMessage", (c) => c.args.thread_ts === ts && String(c.args.text).includes("is live in staging"));

    const updates = t.slack.of("chat.update");
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((u) => u.args.ts === ts && u.args.channel === "C0OPS")).toBe(true);
    expect(blocksText(final.args)).toContain("✓ Source  ✓ Bake  ✓ Deploy  ✓ Verify");
    expect(blocksText(final.args)).toContain("whistlestop_rollback");
    expect(blocksText(final.args)).toMatch(/Pipeline execution/);
    // Coalesced: never two edits of one card closer than the configured interval (20 ms here).
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.at - updates[i - 1]!.at).toBeGreaterThanOrEqual(15);
    // The last edit of the card is the final state.
    expect(updates.at(-1)).toBe(final);

    const replies = repliesTo(t, ts);
    expect(replies.filter((r) => r.startsWith("🚀 Deploy of"))).toHaveLength(1);
    expect(replies.filter((r) => r.includes("is live in staging"))).toHaveLength(1);
    expect(replies.find((r) => r.includes("is live in staging"))).toMatch(/artifact `ami-[0-9a-f]{17}`/);
    expect(await t.store.getDeploy(deploy!.id)).toMatchObject({ slackChannel: "C0OPS", slackTs: ts });
    // Nothing else was said to the user: the card is the answer.
    expect(t.responses(ack.responseUrl)).toHaveLength(0);
  });

  test("a failed deploy gets a thread reply with the error summary and a log link", async () => {
    t.emulator.emulator.failStage({ stage: "Bake", pipeline: "donations-staging", message: "packer: AMI build timed out" });
    await t.slash(USERS.octocat, "/deploy", "donations staging");
    const card = await cardIn(t, "C0OPS");
    const [deploy] = await t.store.listDeploys({ service: "donations" });
    await t.runDeploy(deploy!.id);
    const reply = await t.slack.waitFor("chat.postMessage", (c) => c.args.thread_ts === card.response.ts && String(c.args.text).startsWith("❌ Failed"));
    expect(reply.args.text).toMatch(/packer: AMI build timed out/);
    expect(reply.args.text).toMatch(/\|logs>/);
    const final = await t.slack.waitFor("chat.update", (c) => blocksText(c.args).includes("❌ Failed"));
    expect(blocksText(final.args)).toContain("✗ Bake");
    expect(blocksText(final.args)).not.toContain("whistlestop_");
  });

  test("a deploy started through the API gets its card in the service's slack_channel", async () => {
    const result = await t.command("deploy events staging");
    expect(result.outcome).toBe("started");
    const card = await cardIn(t, "C0EVENTS");
    expect(blocksText(card.args)).toContain("events → staging");
    await t.runDeploy(result.deploy!.id);
    await t.slack.waitFor("chat.update", (c) => c.args.ts === card.response.ts && blocksText(c.args).includes("✅ Succeeded"));
  });

  test("a channel the bot is not in: the card goes to the service's slack_channel instead", async () => {
    t.slack.fail("chat.postMessage", 1, { error: "not_in_channel", when: (args) => args.channel === "C0NOTMEMBER" });
    await t.slash(USERS.octocat, "/deploy", "donations staging", { channel: "C0NOTMEMBER" });
    const card = await cardIn(t, "C0DONATIONS");
    await t.app.notifications.idle();
    const [deploy] = await t.store.listDeploys({});
    expect(await t.store.getDeploy(deploy!.id)).toMatchObject({ slackChannel: "C0DONATIONS", slackTs: card.response.ts });
    await t.runDeploy(deploy!.id);
    await t.slack.waitFor("chat.update", (c) => c.args.channel === "C0DONATIONS" && blocksText(c.args).includes("✅ Succeeded"));
  });

  test("refusals are ephemeral, with the reason and the next step", async () => {
    const typo = await t.slash(USERS.octocat, "/deploy", "donatoins staging");
    expect(typo.status).toBe(200);
    const answer = await t.response(typo.responseUrl);
    expect(answer.args).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(answer.args.text).toMatch(/did you mean "donations"\?/);
    expect(t.emulator.emulator.executions("donations-staging")).toHaveLength(0);
  });

  test("an unmapped Slack user is told how to get mapped and cannot deploy", async () => {
    const ack = await t.slash(USERS.unmapped, "/deploy", "donations staging");
    const answer = await t.response(ack.responseUrl);
    expect(answer.args.response_type).toBe("ephemeral");
    expect(answer.args.text).toContain("permission_denied");
    expect(answer.args.text).toContain(`${USERS.unmapped}: &lt;your-github-login&gt;`);
    expect(answer.args.text).toContain("people:");
    expect(await t.store.listDeploys({})).toHaveLength(0);
    const info = await t.slash(USERS.unmapped, "/deploys", "");
    expect((await t.response(info.responseUrl)).args.text).toContain("not linked to a GitHub login");
  });

  test("/deploys answers ephemerally; a workspace with only /deploy reaches every verb; /lock announces in the channel", async () => {
    const deploys = await t.slash(USERS.octocat, "/deploys", "");
    expect((await t.response(deploys.responseUrl)).args).toMatchObject({ response_type: "ephemeral", text: "Nothing has been deployed yet." });

    const lock = await t.slash(USERS.octocat, "/deploy", "lock events staging for 1h & more");
    const announced = await t.response(lock.responseUrl);
    expect(announced.args.response_type).toBe("in_channel");
    expect(announced.args.text).toMatch(/^🔒 Locked: events\/staging by octocat until .* \(&amp; more\)/);
    const [stored] = await t.store.listLocks(new Date());
    expect(stored).toMatchObject({ service: "events", env: "staging", owner: "octocat", reason: "& more" });

    const unlock = await t.slash(USERS.octocat, "/unlock", "events staging");
    expect((await t.response(unlock.responseUrl)).args).toMatchObject({ response_type: "in_channel", text: expect.stringContaining("🔓 Unlocked events/staging") });
  });

  test("/rollback with nothing to roll back is refused ephemerally", async () => {
    const ack = await t.slash(USERS.octocat, "/rollback", "donations staging");
    expect((await t.response(ack.responseUrl)).args.text).toMatch(/^🚫 Nothing has been deployed successfully to donations\/staging yet/);
  });

  test("the same trigger_id delivered twice starts one deploy", async () => {
    await t.slash(USERS.octocat, "/deploy", "donations staging", { triggerId: "111.222.abc" });
    const again = await t.slash(USERS.octocat, "/deploy", "donations staging", { triggerId: "111.222.abc" });
    expect((await t.response(again.responseUrl)).args.text).toMatch(/Already received this request/);
    expect(await t.store.listDeploys({})).toHaveLength(1);
  });

  test("a bad signature or a stale timestamp → 401, and nothing happens", async () => {
    const fields = { command: "/deploy", text: "donations staging", userId: USERS.octocat, responseUrl: t.slack.responseUrl("bad") };
    const body = slashCommandBody(fields);
    const now = Math.floor(Date.now() / 1000);
    const forged = await postSigned(t.url, body, "application/x-www-form-urlencoded", { secret: "not-the-signing-secret" });
    const stale = await sendSlashCommand(t.url, fields, { timestamp: now - 301 });
    const future = await sendSlashCommand(t.url, fields, { timestamp: now + 400 });
    const unsigned = await fetch(`${t.url}/slack/events`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    const tampered = await postSigned(t.url, body, "application/x-www-form-urlencoded", {
      timestamp: now,
      signature: (await import("./slack-requests.js")).sign(body.replace("staging", "prod"), now),
    });
    for (const response of [forged, stale, future, tampered]) expect(response.status).toBe(401);
    expect(unsigned.status).toBe(401);
    expect(JSON.parse(forged.text).error).toMatch(/signature/);
    expect(t.emulator.emulator.executions("donations-staging")).toHaveLength(0);
    expect(await t.store.listDeploys({})).toHaveLength(0);
    expect(t.slack.calls).toHaveLength(0);
  });

  test("Slack's url_verification handshake is answered (signed), and GET is refused", async () => {
    const challenge = await postSigned(t.url, JSON.stringify({ type: "url_verification", challenge: "abc123", token: "x" }), "application/json");
    expect(challenge.status).toBe(200);
    expect(JSON.parse(challenge.text)).toEqual({ challenge: "abc123" });
    expect((await fetch(`${t.url}/slack/events`)).status).toBe(405);
  });
});

describe("acknowledge first, work after", () => {
  test("the ack is sent while the command's work is still blocked; the card follows once it can proceed", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let lookupStarted!: () => void;
    const lookingUp = new Promise<void>((resolve) => (lookupStarted = resolve));
    const t = await startSlackTestApp({
      identity: {
        // GitHub is slow today: every permission lookup waits until the test lets it go.
        repoPermission: async () => {
          lookupStarted();
          await held;
          return "write";
        },
        isTeamMember: async () => false,
      },
    });
    try {
      const ack = await t.slash(USERS.octocat, "/deploy", "donations staging");
      expect(ack).toMatchObject({ status: 200, text: "" });
      // The work is under way and stuck behind the lookup: nothing was decided, posted or stored.
      await lookingUp;
      expect(t.slack.calls).toHaveLength(0);
      expect(await t.store.listDeploys({})).toHaveLength(0);
      release();
      await t.slack.waitFor("chat.postMessage", (c) => !c.args.thread_ts);
    } finally {
      release();
      await t.close();
    }
  });
});
