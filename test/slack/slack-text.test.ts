import { PeopleDirectory } from "../../src/core/identity/people-directory.js";
import type { SlackLink } from "../../src/core/ports/identity-store.js";
import { decodeConfirmValue, encodeConfirmValue } from "../../src/adapters/slack/action-ids.js";
import type { ConfirmationResult } from "../../src/core/commands/command-result.js";
import { replyForResult } from "../../src/adapters/slack/command-reply.js";
import { slackActor } from "../../src/adapters/slack/slack-actor.js";
import { commandTextFromSlack } from "../../src/adapters/slack/slack-text.js";
import { verbForCommand } from "../../src/adapters/slack/slash-command-handler.js";

describe("reading Slack's command text", () => {
  test.each([
    ["lock donations prod &lt;debate&gt; &amp; prep", "lock donations prod <debate> & prep"],
    ["donations prod --reason “debate prep”", 'donations prod --reason "debate prep"'],
    ["donations prod —force —reason 'x'", "donations prod --force --reason 'x'"],
    ["lock donations prod ask <@U0ALEXSRE|alex> first", "lock donations prod ask <@U0ALEXSRE|alex> first"],
    ["  donations\u00A0staging  ", "donations staging"],
  ])("%j → %j", (input, expected) => {
    expect(commandTextFromSlack(input)).toBe(expected);
  });

  test("slash command names map to verbs; an unknown name deploys", () => {
    expect(["/deploy", "/rollback", "/lock", "/unlock", "/deploys", "/ws-deploy"].map(verbForCommand)).toEqual(["deploy", "rollback", "lock", "unlock", "deploys", "deploy"]);
  });
});

describe("the Slack actor", () => {
  const directory = new PeopleDirectory({ people: { U024BE7LH: "octocat", U0OTHER: "hubot" } }, { getSlackLink: async ({ userId }) => LINKS[userId], findSlackLinksByLogins: async () => [] });
  const LINKS: Record<string, SlackLink> = {
    U0LINKED: { teamId: "T1", userId: "U0LINKED", login: "monalisa", linkedAt: "2026-01-01T00:00:00.000Z" },
    U024BE7LH: { teamId: "T1", userId: "U024BE7LH", login: "someone-else", linkedAt: "2026-01-01T00:00:00.000Z" },
    U0THIEF: { teamId: "T1", userId: "U0THIEF", login: "HUBOT", linkedAt: "2026-01-01T00:00:00.000Z" },
  };
  const login = async (userId: string) => (await directory.resolve({ teamId: "T1", userId })).login;
  test("people wins over a link; a link counts for someone not in people; a link to a login people gives to another is ignored", async () => {
    expect(await login("U024BE7LH")).toBe("octocat");
    expect(await login("U0LINKED")).toBe("monalisa");
    expect(await directory.resolve({ teamId: "T1", userId: "U0THIEF" })).toEqual({ note: expect.stringContaining("maps that login to U0OTHER") });
    expect(await login("U0NOBODY")).toBeUndefined();
  });
  test("a link that cannot be read counts as none", async () => {
    const broken = new PeopleDirectory({ people: {} }, { getSlackLink: async () => Promise.reject(new Error("db down")), findSlackLinksByLogins: async () => [] });
    expect(await broken.resolve({ teamId: "T1", userId: "U1" })).toEqual({ note: expect.stringContaining("could not read your link") });
  });
  test("a mapped user acts as their GitHub login", () => {
    expect(slackActor("octocat", "U024BE7LH", "octo")).toEqual({ surface: "slack", name: "octocat", login: "octocat", slackUserId: "U024BE7LH" });
  });
  test("an unmapped user keeps their Slack name and id, with no login", () => {
    expect(slackActor(undefined, "U0NOBODY", "newbie")).toEqual({ surface: "slack", name: "newbie", slackUserId: "U0NOBODY" });
    expect(slackActor(directory.fromPeople("toString"), "toString")).toEqual({ surface: "slack", name: "toString", slackUserId: "toString" });
  });
});

describe("answers to commands", () => {
  const actor = { surface: "slack" as const, name: "octocat", login: "octocat", slackUserId: "U024BE7LH" };
  const unmapped = { surface: "slack" as const, name: "newbie", slackUserId: "U0NOBODY" };

  test("a refusal is ephemeral with its reason code", () => {
    expect(replyForResult({ outcome: "refused", reasonCode: "locked", message: "donations/prod is locked by alex-sre" }, { actor })).toEqual({
      responseType: "ephemeral",
      text: "🚫 donations/prod is locked by alex-sre\n_reason: `locked`_",
    });
  });

  test("a lock taken is announced in the channel; `deploys` stays ephemeral", () => {
    const lock = { service: "donations", env: "prod", owner: "octocat", ownerKey: "login:octocat", createdAt: "2026-10-01T14:00:00Z" };
    expect(replyForResult({ outcome: "done", message: "🔒 Locked: donations/prod", locks: [lock] }, { actor })?.responseType).toBe("in_channel");
    expect(replyForResult({ outcome: "done", message: "donations/prod: live", locks: [lock], deploys: [] }, { actor })?.responseType).toBe("ephemeral");
  });

  const question = "donations/prod asks for confirmation before a deploy of 0123456.";
  const confirmation = (reason?: string): ConfirmationResult => ({
    outcome: "refused",
    reasonCode: "confirmation_required",
    message: `${question} Run it again with --yes to go ahead.`,
    question,
    pending: { verb: "deploy", service: "donations", env: "prod", sha: "0123456".padEnd(40, "0"), ref: "main", force: false, ...(reason ? { reason } : {}) },
  });

  test("confirmation becomes Confirm/Cancel buttons carrying the decided command and a nonce", () => {
    const result = confirmation();
    const reply = replyForResult(result, { actor, prompt: { nonce: "n1" } });
    expect(reply?.text).toBe("donations/prod asks for confirmation before a deploy of 0123456. Confirm or cancel.");
    const actions = JSON.stringify(reply?.blocks);
    expect(actions).toContain('"action_id":"whistlestop_confirm"');
    expect(actions).toContain('"action_id":"whistlestop_dismiss"');
    expect(actions).toContain(JSON.stringify(JSON.stringify({ p: result.pending, n: "n1" })).slice(1, -1));
  });

  test("a button's value reads back as what was written, and anything else as nothing", () => {
    const value = { pending: confirmation("hotfix").pending, nonce: "n1", key: "k" };
    expect(decodeConfirmValue(encodeConfirmValue(value))).toEqual(value);
    expect(decodeConfirmValue(JSON.stringify({ v: "rollback", t: "donations prod", n: "n2" }))).toEqual({ verb: "rollback", text: "donations prod", nonce: "n2" });
    for (const forged of [
      JSON.stringify({ v: "shutdown", t: "donations prod", n: "n2" }),
      JSON.stringify({ p: { ...value.pending, sha: "main" }, n: "n1" }),
      JSON.stringify({ p: { ...value.pending, verb: "lock" }, n: "n1" }),
      JSON.stringify({ p: { ...value.pending, service: "../etc" }, n: "n1" }),
      JSON.stringify({ p: value.pending }),
      "not json",
      undefined,
    ]) {
      expect(decodeConfirmValue(forged)).toBeUndefined();
    }
  });

  test("a command too long to ride on a button is asked to be re-run with --yes instead", () => {
    const result = confirmation("x".repeat(2000));
    expect(replyForResult(result, { actor, prompt: { nonce: "n1" } })).toEqual({ responseType: "ephemeral", text: `⚠️ ${result.message}` });
  });

  test("an unmapped user is told how to get mapped, once", () => {
    const reply = replyForResult({ outcome: "done", message: "Nothing has been deployed yet." }, { actor: unmapped });
    expect(reply?.text).toContain("Type `/deploy link` to link it, or ask an admin to add `U0NOBODY: &lt;your-github-login&gt;` under `people:`");
    const refusal = replyForResult({ outcome: "refused", reasonCode: "permission_denied", message: "… add `U0NOBODY: <your-github-login>` under `people:` in whistlestop.yml." }, { actor: unmapped });
    expect(refusal?.text.match(/people:/g)).toHaveLength(1);
  });

  test("an accepted deploy needs no reply: its card answers in the channel", () => {
    expect(replyForResult({ outcome: "started", message: "started", deploy: {} as never, record: {} as never }, { actor })).toBeUndefined();
  });
});
