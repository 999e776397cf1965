import { ACTION } from "../../src/adapters/slack/action-ids.js";
import { slackActor } from "../../src/adapters/slack/slack-actor.js";
import { OTHER_WORKSPACE_REPLY, slackTeamIdOf, workspaceGuard } from "../../src/adapters/slack/workspace-guard.js";
import { openStore } from "../../src/adapters/store/open-store.js";
import type { NewAcceptedRequest } from "../../src/core/ports/accepted-requests.js";
import type { Store } from "../../src/core/ports/store.js";
import { postSigned } from "./slack-requests.js";
import { startSlackTestApp, USERS, type SlackTestApp } from "./slack-test-app.js";

const HOME = "T0WHISTLE";
const INTRUDER = "T0INTRUDER";

/** A SQLite store that remembers every request the inbox recorded. */
async function recordingStore(): Promise<{ store: Store; accepted: NewAcceptedRequest[] }> {
  const store = await openStore({ sqlitePath: ":memory:" });
  const accepted: NewAcceptedRequest[] = [];
  const accept = store.acceptRequests.bind(store);
  store.acceptRequests = async (batch, ownerId, leaseEnd) => {
    accepted.push(...batch);
    return accept(batch, ownerId, leaseEnd);
  };
  return { store, accepted };
}

const eventCallback = (teamId: string) =>
  JSON.stringify({
    type: "event_callback",
    team_id: teamId,
    api_app_id: "A0WHISTLE",
    event_id: `Ev${Date.now()}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: "app_mention", user: USERS.octocat, text: "<@U_WHISTLESTOP> deploy donations staging", channel: "C0OPS", ts: "1700000000.000100" },
  });

describe("SLACK_TEAM_ID: requests from other workspaces do nothing (real server, signed requests)", () => {
  let t: SlackTestApp;
  let accepted: NewAcceptedRequest[];
  beforeEach(async () => {
    const recording = await recordingStore();
    accepted = recording.accepted;
    t = await startSlackTestApp({ store: recording.store, teamIds: [HOME, "T0SECOND"] });
  });
  afterEach(async () => {
    await t.close();
    await t.store.close();
  });

  test("a command, a click and an event from another workspace are acknowledged and dropped; the served workspace's command runs", async () => {
    const command = await t.slash(USERS.octocat, "/deploy", "donations staging", { teamId: INTRUDER });
    expect(command.status).toBe(200);
    expect(JSON.parse(command.text)).toEqual({ response_type: "ephemeral", text: OTHER_WORKSPACE_REPLY });
    const click = await t.click({ actionId: ACTION.rollback, value: "d-anything", userId: USERS.alex, teamId: INTRUDER });
    expect(click).toMatchObject({ status: 200, text: "" });
    const event = await postSigned(t.url, eventCallback(INTRUDER), "application/json");
    expect(event.status).toBe(200);
    // The guard answers before any listener: by the time the acks are back, nothing was recorded.
    expect(accepted).toEqual([]);

    const allowed = await t.slash(USERS.octocat, "/deploy", "donations staging", { teamId: HOME });
    expect(allowed).toMatchObject({ status: 200, text: "" });
    await t.slack.waitFor("chat.postMessage", (c) => c.args.channel === "C0OPS" && !c.args.thread_ts);
    const [deploy] = await t.store.listDeploys({ service: "donations", env: "staging" });
    await t.runDeploy(deploy!.id);

    expect(await t.store.listDeploys({})).toHaveLength(1);
    expect(deploy).toMatchObject({ actor: "octocat" });
    expect(t.emulator.emulator.executions("donations-staging")).toHaveLength(1);
    expect(accepted).toHaveLength(1);
    // The workspace travels with the request to the core's actor.
    expect(JSON.parse(accepted[0]!.payload)).toMatchObject({ userId: USERS.octocat, teamId: HOME });
    expect((await t.store.listAudit({})).map((entry) => entry.actor)).toEqual(["octocat"]);
    // Nobody in the other workspace was answered through Slack's API either.
    expect(t.responses(click.responseUrl)).toEqual([]);
    expect(t.responses(command.responseUrl)).toEqual([]);
  });

  test("every listed workspace is served", async () => {
    const ack = await t.slash(USERS.octocat, "/deploy", "help", { teamId: "T0SECOND" });
    expect(ack).toMatchObject({ status: 200, text: "" });
    await t.response(ack.responseUrl);
    expect(accepted).toHaveLength(1);
  });
});

describe("without SLACK_TEAM_ID", () => {
  test("any workspace with the signing secret is served", async () => {
    const t = await startSlackTestApp();
    try {
      const ack = await t.slash(USERS.octocat, "/deploy", "help", { teamId: "T0ANYWHERE" });
      expect(ack).toMatchObject({ status: 200, text: "" });
      expect((await t.response(ack.responseUrl)).args.text).toBeTruthy();
    } finally {
      await t.close();
    }
  });

  test("a workspace id that names an Object property (valueOf, constructor, __proto__) is served like any other, not a 500", async () => {
    const t = await startSlackTestApp();
    try {
      for (const teamId of ["valueOf", "constructor", "__proto__", "hasOwnProperty"]) {
        const ack = await t.slash(USERS.octocat, "/deploy", "help", { teamId });
        expect(ack).toMatchObject({ status: 200, text: "" });
        expect((await t.response(ack.responseUrl)).args.text).toBeTruthy();
      }
    } finally {
      await t.close();
    }
  });
});

describe("workspace of a Slack request", () => {
  test("team_id on commands and events, team.id (else user.team_id) on interactions", () => {
    expect(slackTeamIdOf({ team_id: "T1", command: "/deploy" })).toBe("T1");
    expect(slackTeamIdOf({ type: "block_actions", team: { id: "T2" }, user: { id: "U", team_id: "T3" } })).toBe("T2");
    expect(slackTeamIdOf({ type: "block_actions", team: null, user: { id: "U", team_id: "T3" } })).toBe("T3");
    expect(slackTeamIdOf({ type: "block_actions" })).toBeUndefined();
  });

  test("a request that names no workspace is refused when SLACK_TEAM_ID is set", async () => {
    const calls: string[] = [];
    const guard = workspaceGuard([HOME], { warn: () => calls.push("warn") });
    const args = { body: { type: "block_actions", user: { id: "U1" } }, ack: async () => void calls.push("ack"), next: async () => void calls.push("next") };
    await (guard as unknown as (a: typeof args) => Promise<void>)(args);
    expect(calls).toEqual(["warn", "ack"]);
  });

  test("the actor carries the workspace as slackTeamId", () => {
    expect(slackActor("octocat", "U1", "octo", HOME)).toEqual({ surface: "slack", name: "octocat", login: "octocat", slackUserId: "U1", slackTeamId: HOME });
    expect(slackActor(undefined, "U2")).not.toHaveProperty("slackTeamId");
  });
});
