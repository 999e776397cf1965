import type { DeployView } from "../../src/core/commands/command-result.js";
import { openStore } from "../../src/adapters/store/open-store.js";
import { callApi, type ServerProcess } from "../kit/process-helpers.js";
import { waitFor } from "../kit/wait-for.js";
import { issueComment, sendWebhook } from "../github/webhook-fixtures.js";
import { sendSlashCommand } from "../slack/slack-requests.js";
import { executionsOf, waitForReports } from "./report-checks.js";
import { useRestartRig } from "./restart-rig.js";
import { API_TOKEN, WEBHOOK_SECRET } from "./server-with-fakes.js";

const HEAD = "e".repeat(40);
const PR_HEAD = "c".repeat(40);
/** Mapped to GitHub logins in examples/whistlestop.yml. */
const OCTOCAT = "U024BE7LH";
const ALEX = "U0ALEXSRE";

/**
 * A crash (kill -9) at any point loses no accepted request (docs/reliability.md, 4). Slack is answered the
 * moment a command arrives and never sends it again; GitHub does not redeliver a webhook by
 * itself. So a command acknowledged but not yet worked on when the process dies must still be
 * worked on: the inbox records it before the ack, and the restarted process works on it.
 *
 * Here the work of two Slack commands and one PR comment is stuck (their GitHub lookups are held)
 * when the process is killed: nothing of them was done but the acknowledgement.
 */
describe("kill -9 with requests acknowledged but not yet worked on, then a restart", () => {
  const rig = useRestartRig();
  const start = () => rig.start();
  const deploysOf = async (server: ServerProcess, service: string) =>
    (await callApi<{ deploys: DeployView[] }>(`${server.url}/api/v1/deploys?service=${service}`, API_TOKEN)).body.deploys;

  test("every acknowledged command is worked on once after the restart, and every user hears back", async () => {
    rig.fakes.github.refs.set("whistlestop-demo/events@main", HEAD);
    rig.fakes.github.refs.set("whistlestop-demo/call-tool@main", HEAD);
    rig.fakes.github.pulls.set("whistlestop-demo/donations#42", { state: "open", merged: false, headSha: PR_HEAD, headRef: "feature/form" });
    const refLookups = rig.fakes.github.hold("GET", /^\/repos\/[^/]+\/[^/]+\/commits\//);
    const prLookup = rig.fakes.github.hold("GET", /^\/repos\/whistlestop-demo\/donations\/pulls\/42$/);
    const first = await start();

    const commands = [
      { user: OCTOCAT, text: "events staging", responseUrl: rig.fakes.slack.responseUrl("events") },
      { user: ALEX, text: "call-tool staging", responseUrl: rig.fakes.slack.responseUrl("call-tool") },
    ] as const;
    for (const [i, c] of commands.entries()) {
      const ack = await sendSlashCommand(first.url, { command: "/deploy", text: c.text, userId: c.user, responseUrl: c.responseUrl, triggerId: `kill.${i}` });
      expect(ack.status).toBe(200);
    }
    // GitHub waits for the webhook's answer; the process dies before it comes.
    const comment = sendWebhook(first.url, "issue_comment", issueComment({ body: "/deploy staging", number: 42, commentId: 7001 }), { secret: WEBHOOK_SECRET, delivery: "kill-delivery-1" }).catch(() => undefined);
    await waitFor("both deploys' ref lookups and the PR lookup to be held", () => (refLookups.count() >= 2 && prLookup.count() >= 1) || undefined);

    expect((await first.stop("SIGKILL")).signal).toBe("SIGKILL");
    await comment;
    refLookups.drop();
    prLookup.drop();
    // Nothing but the acknowledgements happened: no deploy, no execution, no answer.
    expect(rig.emulator.stats().executions).toBe(0);
    expect(rig.fakes.slack.of("respond")).toHaveLength(0);

    const second = await start();
    const [events] = await waitFor("the events deploy to exist", async () => ((await deploysOf(second, "events")).length ? deploysOf(second, "events") : undefined));
    const [callTool] = await waitFor("the call-tool deploy to exist", async () => ((await deploysOf(second, "call-tool")).length ? deploysOf(second, "call-tool") : undefined));
    const [branch] = await waitFor("the branch deploy of the PR to exist", async () => ((await deploysOf(second, "donations")).length ? deploysOf(second, "donations") : undefined));
    expect(events).toMatchObject({ env: "staging", sha: HEAD, actor: "octocat" });
    expect(callTool).toMatchObject({ env: "staging", sha: HEAD });
    expect(branch).toMatchObject({ env: "staging", sha: PR_HEAD, surface: "github" });

    await rig.runPipelinesUntil("every deploy to succeed", async () => {
      const views = await Promise.all([events, callTool, branch].map(async (d) => (await callApi<DeployView>(`${second.url}/api/v1/deploys/${d!.id}`, API_TOKEN)).body));
      return views.every((v) => v.state === "succeeded");
    });
    await waitForReports(rig.fakes.slack, rig.fakes.github, [events, callTool, branch].map((d) => ({ id: d!.id, card: "succeeded", deployment: "success" })), 20_000);

    // Each command was answered once, by one card in the channel it was typed in; each deploy ran once.
    for (const d of [events, callTool]) {
      const cards = rig.fakes.slack.of("chat.postMessage", (call) => call.args.channel === "C0OPS" && String(call.args.text).startsWith(`${d!.service} → staging:`));
      expect({ service: d!.service, cards: cards.length }).toEqual({ service: d!.service, cards: 1 });
    }
    for (const d of [events, callTool, branch]) expect(executionsOf(rig.emulator, d!.id)).toHaveLength(1);
    expect(rig.emulator.stats().executions).toBe(3);
    const rockets = rig.fakes.github.calls.filter((c) => c.method === "POST" && /\/issues\/comments\/7001\/reactions$/.test(c.path) && c.body?.content === "rocket");
    expect(rockets).toHaveLength(1);

    // The inbox holds nothing unfinished.
    await second.stop("SIGTERM");
    const store = await openStore({ sqlitePath: rig.db });
    try {
      expect(await store.claimRequests("inspector", new Date("2100-01-01T00:00:00Z"), new Date("2100-01-01T00:00:00Z"), 100)).toEqual([]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
