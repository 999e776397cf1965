import { sign } from "@octokit/webhooks-methods";
import examples from "@octokit/webhooks-examples" with { type: "json" };

/** Real payloads from @octokit/webhooks-examples, pointed at the example config's repositories. */
type Json = Record<string, unknown>;

export const WEBHOOK_SECRET = "test-webhook-secret-0123456789";
export const REPO = "whistlestop-demo/donations";
export const INSTALLATION_ID = 1;

function example(name: string, action: string, predicate: (payload: Json) => boolean = () => true): Json {
  const definition = (examples as unknown as Array<{ name: string; examples: Json[] }>).find((d) => d.name === name);
  const found = definition?.examples.find((e) => e.action === action && predicate(e));
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${name}.${action} example`);
  return structuredClone(found);
}

function repository(base: Json, fullName: string): Json {
  const [owner, name] = fullName.split("/");
  return { ...base, full_name: fullName, name, default_branch: "main", owner: { ...(base.owner as Json), login: owner } };
}

const user = (login: string, type = "User"): Json => ({ ...(example("issue_comment", "created").sender as Json), login, type });

export function mergedPullRequest(options: { number?: number; mergeSha: string; merger?: string; base?: string; repo?: string; merged?: boolean; mergedAt?: string }): Json {
  const payload = example("pull_request", "closed");
  const pr = payload.pull_request as Json;
  const repo = options.repo ?? REPO;
  payload.repository = repository(payload.repository as Json, repo);
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  payload.number = options.number ?? 42;
  payload.pull_request = {
    ...pr,
    number: options.number ?? 42,
    merged: options.merged ?? true,
    merge_commit_sha: options.mergeSha,
    ...(options.mergedAt ? { merged_at: options.mergedAt } : {}),
    merged_by: user(options.merger ?? "octocat"),
    base: { ...(pr.base as Json), ref: options.base ?? "main" },
  };
  payload.sender = user(options.merger ?? "octocat");
  return payload;
}

export function issueComment(options: { body: string; login?: string; userType?: string; number?: number; commentId?: number; onPullRequest?: boolean; repo?: string }): Json {
  const payload = example("issue_comment", "created");
  const repo = options.repo ?? REPO;
  const login = options.login ?? "octocat";
  payload.repository = repository(payload.repository as Json, repo);
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  const issue = payload.issue as Json;
  const number = options.number ?? 42;
  payload.issue = {
    ...issue,
    number,
    ...(options.onPullRequest === false ? {} : { pull_request: { url: `https://api.github.com/repos/${repo}/pulls/${number}` } }),
  };
  payload.comment = { ...(payload.comment as Json), id: options.commentId ?? 5001, body: options.body, user: user(login, options.userType) };
  payload.sender = user(login, options.userType);
  return payload;
}

/** No deployment_protection_rule example is published: built from the deployment example's parts. */
export function protectionRuleRequested(options: { environment: string; callbackUrl: string; sha?: string; creator?: string; repo?: string }): Json {
  const base = example("deployment", "created");
  const deployment = base.deployment as Json;
  return {
    action: "requested",
    environment: options.environment,
    event: "workflow_dispatch",
    deployment_callback_url: options.callbackUrl,
    deployment: { ...deployment, environment: options.environment, sha: options.sha ?? deployment.sha, creator: user(options.creator ?? "github-actions[bot]", "Bot") },
    repository: repository(base.repository as Json, options.repo ?? REPO),
    installation: { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" },
    sender: user(options.creator ?? "octocat"),
  };
}

export interface SendOptions {
  /** X-GitHub-Delivery; "" sends none. */
  readonly delivery?: string;
  /** Content-Type; default application/json. */
  readonly contentType?: string;
  /** Override the signature (a wrong one, or "" for none). */
  readonly signature?: string;
  readonly secret?: string;
}

let deliveries = 0;

/** POSTs a webhook signed like GitHub does (X-Hub-Signature-256 over the exact body). */
export async function sendWebhook(baseUrl: string, event: string, payload: unknown, options: SendOptions = {}): Promise<{ status: number; body: string; delivery: string }> {
  const body = JSON.stringify(payload);
  const delivery = options.delivery ?? `delivery-${process.pid}-${++deliveries}-${Date.now()}`;
  const signature = options.signature ?? (await sign(options.secret ?? WEBHOOK_SECRET, body));
  const response = await fetch(`${baseUrl}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": options.contentType ?? "application/json",
      "x-github-event": event,
      ...(delivery ? { "x-github-delivery": delivery } : {}),
      "user-agent": "GitHub-Hookshot/test",
      ...(signature ? { "x-hub-signature-256": signature } : {}),
    },
    body,
  });
  return { status: response.status, body: await response.text(), delivery };
}
