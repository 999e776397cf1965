import type { Emulator } from "../../src/emulator/emulator.js";
import type { ExecutionRecord } from "../../src/emulator/execution-record.js";
import type { FakeGitHubApi } from "../github/fake-github-api.js";
import type { FakeSlackApi, SlackCall } from "../slack/fake-slack-api.js";
import { waitFor } from "../kit/wait-for.js";

/** What a deploy's Slack card shows now: its top-level posts (one, when all is well) and the newest text. */
export interface CardView {
  readonly posts: readonly SlackCall[];
  readonly ts: string | undefined;
  /** The card's text as Slack has it: the last successful edit, or the post itself. */
  readonly text: string | undefined;
  readonly updates: number;
}

export function cardOf(slack: FakeSlackApi, deployId: string): CardView {
  const mark = `deploy \`${deployId}\``;
  const posts = slack.of("chat.postMessage", (c) => c.args.thread_ts === undefined && JSON.stringify(c.args.blocks ?? []).includes(mark));
  const ts = posts[0]?.response.ts as string | undefined;
  const updates = ts ? slack.of("chat.update", (c) => c.args.ts === ts) : [];
  const latest = updates.at(-1) ?? posts[0];
  return { posts, ts, text: latest ? String(latest.args.text) : undefined, updates: updates.length };
}

/** The deploy's GitHub Deployments (created ones) and the state of the last status each got. */
export function deploymentsOf(github: FakeGitHubApi, deployId: string): Array<{ id: number; lastState: string | undefined }> {
  const created = github.calls.filter(
    (c) => c.method === "POST" && /^\/repos\/[^/]+\/[^/]+\/deployments$/.test(c.path) && c.status === 201 && (c.body?.payload as { deployId?: string } | undefined)?.deployId === deployId,
  );
  return created.map((c) => {
    const id = (c.response as { id: number }).id;
    const statuses = github.calls.filter((s) => s.method === "POST" && s.path.endsWith(`/deployments/${id}/statuses`) && s.status === 201);
    return { id, lastState: statuses.at(-1)?.body?.state as string | undefined };
  });
}

/** Every execution CodePipeline started for the deploy (its id is the clientRequestToken), in any pipeline. */
export function executionsOf(emulator: Emulator, deployId: string): ExecutionRecord[] {
  return emulator
    .pipelineDefinitions()
    .flatMap((p) => emulator.executions(p.name))
    .filter((e) => (e as { clientRequestToken?: string }).clientRequestToken === deployId);
}

/** Thread replies on a card whose text contains `mark` (e.g. "is live in" for the success reply). */
export function repliesOn(slack: FakeSlackApi, cardTs: string | undefined, mark: string): SlackCall[] {
  return slack.of("chat.postMessage", (c) => c.args.thread_ts === cardTs && String(c.args.text).includes(mark));
}

/** What a deploy's reports must show in the end: its card's state and its GitHub Deployment's last status. */
export interface ReportExpectation {
  readonly id: string;
  readonly card: string;
  readonly deployment: string;
}

/** Whether one deploy's card and Deployment are as expected, or what is off. */
export function reportGap(slack: FakeSlackApi, github: FakeGitHubApi, expected: ReportExpectation): string | undefined {
  const card = cardOf(slack, expected.id);
  const deployments = deploymentsOf(github, expected.id);
  const cardOk = card.posts.length === 1 && (card.text ?? "").includes(`: ${expected.card} ·`);
  const deploymentOk = deployments.length === 1 && deployments[0]!.lastState === expected.deployment;
  if (cardOk && deploymentOk) return undefined;
  return `${expected.id}: ${card.posts.length} card(s) showing "${card.text ?? "nothing"}", deployments ${JSON.stringify(deployments)}`;
}

/** Waits until every deploy's reports show what they should; on timeout, says which do not and how. */
export async function waitForReports(slack: FakeSlackApi, github: FakeGitHubApi, expected: readonly ReportExpectation[], timeoutMs: number): Promise<void> {
  const everyReport = () => {
    const gaps = expected.flatMap((e) => reportGap(slack, github, e) ?? []);
    if (gaps.length > 0) throw new Error(`${gaps.length} deploy(s) are not reported as expected:\n${gaps.slice(0, 10).join("\n")}`);
    return true;
  };
  await waitFor("every deploy's reports", everyReport, timeoutMs);
}
