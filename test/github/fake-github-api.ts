import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CallHolds, type HeldCalls } from "../fakes/call-holds.js";

/** One request the fake received; `path` is relative to the API base (no /api/v3). */
export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown> | undefined;
  readonly authorization: string | undefined;
  readonly at: number;
  /** The HTTP status and body answered (set once the answer is sent). */
  status?: number;
  response?: unknown;
}

export interface FakePullRequest {
  readonly state: "open" | "closed";
  readonly merged: boolean;
  readonly headSha: string;
  readonly headRef?: string;
  /** Where the head branch lives: default the repository itself; null for a deleted fork. */
  readonly headRepo?: string | null;
  readonly mergeCommitSha?: string;
}

interface Failure {
  readonly method: string;
  readonly path: RegExp;
  readonly status: number;
  remaining: number;
  readonly message?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const headRepo = (repo: string | null | undefined, base: string) => (repo === null ? null : { full_name: repo ?? base });

/** A commit in a fake comparison; `author` is the login GitHub linked (absent: an unlinked email). */
export interface FakeCommit {
  readonly sha: string;
  readonly message: string;
  readonly author?: string;
  readonly parents?: readonly string[];
}

/** What GET /repos/{o}/{r}/compare/{base}...{head} answers: `commits` oldest first, capped at 250 like GitHub. */
export interface FakeComparison {
  readonly commits: readonly FakeCommit[];
  /** Default: commits.length. */
  readonly aheadBy?: number;
  readonly behindBy?: number;
}

/**
 * A GitHub Enterprise-style API on loopback (base <url>/api/v3) that answers the calls Whistlestop
 * makes and records every one, so tests assert the exact calls and benchmarks have a fast GitHub.
 */
export class FakeGitHubApi {
  readonly calls: RecordedCall[] = [];
  /** "owner/repo#login" → permission (default write); role names like maintain are passed through. */
  readonly permissions = new Map<string, string>();
  /** "org/team#login" → "active" | "pending". */
  readonly teams = new Map<string, string>();
  /** "owner/repo@ref" → sha; a 40-hex ref resolves to itself unless listed in `unknownShas`. */
  readonly refs = new Map<string, string>();
  readonly unknownShas = new Set<string>();
  readonly pulls = new Map<string, FakePullRequest>();
  /** "owner/repo@base...head" → its comparison; any other range is 404 (an unknown sha). */
  readonly comparisons = new Map<string, FakeComparison>();
  /** Repos without the app installed. */
  readonly notInstalled = new Set<string>();
  defaultPermission = "write";
  private readonly failures: Failure[] = [];
  private readonly holds = new CallHolds<{ method: string; path: string }>();
  private randomFailure: { rate: number; random: () => number; status: number } | undefined;
  private readonly events = new EventEmitter();
  private nextId = 1000;
  private server?: Server;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** GHE_HOST for Probot: host:port of this server (with GHE_PROTOCOL=http). */
  get host(): string {
    return this.url.replace(/^http:\/\//, "");
  }

  get baseUrl(): string {
    return `${this.url}/api/v3`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Answer the next `times` matching requests with `status`. */
  fail(method: string, path: RegExp, status: number, times = 1, answer: { message?: string; headers?: Record<string, string> } = {}): void {
    this.failures.push({ method, path, status, remaining: times, ...answer });
  }

  /** Forget the failures still to come. */
  clearFailures(): void {
    this.failures.splice(0);
  }

  /** From now on every request fails with `status` (default 502) with probability `rate`, drawn from `random`. */
  failRandomly(options: { rate: number; random: () => number; status?: number }): void {
    this.randomFailure = { status: 502, ...options };
  }

  /** Keep matching requests unanswered until released or dropped (a dropped one is not recorded). */
  hold(method: string, path: RegExp): HeldCalls {
    return this.holds.add((call) => call.method === method && path.test(call.path));
  }

  /** Calls other than app authentication (installation lookups and token exchanges). */
  apiCalls(): RecordedCall[] {
    return this.calls.filter((c) => !/^\/app\/installations\/\d+\/access_tokens$/.test(c.path) && !/\/installation$/.test(c.path));
  }

  writes(): RecordedCall[] {
    return this.apiCalls().filter((c) => c.method !== "GET");
  }

  /** Resolves with the first call (already made or future) that matches. */
  waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs = 10_000): Promise<RecordedCall> {
    const seen = this.calls.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off("call", listener);
        reject(new Error(`no matching GitHub call within ${timeoutMs} ms; calls: ${this.calls.map((c) => `${c.method} ${c.path}`).join(", ")}`));
      }, timeoutMs);
      const listener = (call: RecordedCall) => {
        if (!predicate(call)) return;
        clearTimeout(timer);
        this.events.off("call", listener);
        resolve(call);
      };
      this.events.on("call", listener);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v3/, ""));
    const method = req.method ?? "GET";
    if (!(await this.holds.pass({ method, path }))) return void res.destroy();
    const call: RecordedCall = {
      method,
      path,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
      authorization: req.headers.authorization,
      at: performance.now(),
    };
    this.calls.push(call);
    const failure = this.failures.find((f) => f.remaining > 0 && f.method === method && f.path.test(path));
    const random = this.randomFailure;
    if (failure) {
      failure.remaining -= 1;
      call.status = failure.status;
      this.send(res, failure.status, { message: failure.message ?? `injected ${failure.status}` }, failure.headers);
    } else if (random && random.random() < random.rate) {
      call.status = random.status;
      this.send(res, random.status, { message: `injected ${random.status}` });
    } else {
      const [status, body] = this.answer(method, path, call.body);
      call.status = status;
      call.response = body;
      this.send(res, status, body);
    }
    this.events.emit("call", call);
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
    const payload = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(payload) });
    res.end(payload);
  }

  private comparisonBody(repo: string, range: string, comparison: FakeComparison): unknown {
    const aheadBy = comparison.aheadBy ?? comparison.commits.length;
    const behindBy = comparison.behindBy ?? 0;
    return {
      url: `${this.baseUrl}/repos/${repo}/compare/${range}`,
      html_url: `https://github.example/${repo}/compare/${range}`,
      status: aheadBy > 0 && behindBy > 0 ? "diverged" : aheadBy > 0 ? "ahead" : behindBy > 0 ? "behind" : "identical",
      ahead_by: aheadBy,
      behind_by: behindBy,
      total_commits: aheadBy,
      commits: comparison.commits.slice(-250).map((c) => ({
        sha: c.sha,
        commit: { message: c.message, author: { name: c.author ?? "Someone", email: "someone@example.com" } },
        author: c.author ? { login: c.author, type: "User" } : null,
        parents: (c.parents ?? []).map((sha) => ({ sha })),
      })),
      files: [],
    };
  }

  private answer(method: string, path: string, body: Record<string, unknown> | undefined): [number, unknown] {
    const route = `${method} ${path}`;
    let m: RegExpExecArray | null;
    if ((m = /^POST \/app\/installations\/(\d+)\/access_tokens$/.exec(route))) {
      return [201, { token: `ghs_fake${m[1]}token`, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: "all" }];
    }
    if ((m = /^GET \/repos\/([^/]+\/[^/]+)\/installation$/.exec(route))) return this.notInstalled.has(m[1]!) ? [404, { message: "Not Found" }] : [200, { id: 1 }];
    if (/^GET \/orgs\/[^/]+\/installation$/.test(route)) return [200, { id: 1 }];
    if ((m = /^GET \/repos\/([^/]+\/[^/]+)\/collaborators\/([^/]+)\/permission$/.exec(route))) {
      const permission = this.permissions.get(`${m[1]}#${m[2]}`) ?? this.defaultPermission;
      const folded = permission === "maintain" ? "write" : permission === "triage" ? "read" : permission;
      return [200, { permission: folded, role_name: permission, user: { login: m[2] } }];
    }
    if ((m = /^GET \/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/.exec(route))) {
      const state = this.teams.get(`${m[1]}/${m[2]}#${m[3]}`);
      return state ? [200, { state, role: "member" }] : [404, { message: "Not Found" }];
    }
    if ((m = /^GET \/repos\/([^/]+\/[^/]+)\/commits\/(.+)$/.exec(route))) {
      const known = this.refs.get(`${m[1]}@${m[2]}`);
      if (known) return [200, { sha: known }];
      if (/^[0-9a-f]{40}$/.test(m[2]!) && !this.unknownShas.has(m[2]!)) return [200, { sha: m[2] }];
      return [422, { message: "No commit found for SHA" }];
    }
    if ((m = /^GET \/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)$/.exec(route))) {
      const pr = this.pulls.get(`${m[1]}#${m[2]}`);
      if (!pr) return [404, { message: "Not Found" }];
      return [200, { number: Number(m[2]), state: pr.state, merged: pr.merged, merge_commit_sha: pr.mergeCommitSha ?? null, head: { sha: pr.headSha, ref: pr.headRef ?? "feature", repo: headRepo(pr.headRepo, m[1]!) } }];
    }
    if ((m = /^GET \/repos\/([^/]+\/[^/]+)\/compare\/(.+)$/.exec(route))) {
      const comparison = this.comparisons.get(`${m[1]}@${m[2]}`);
      return comparison ? [200, this.comparisonBody(m[1]!, m[2]!, comparison)] : [404, { message: "Not Found" }];
    }
    if (/^GET \/repos\/[^/]+\/[^/]+$/.test(route)) return [200, { default_branch: "main" }];
    if (/^POST \/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+\/reactions$/.test(route)) return [201, { id: this.nextId++, content: body?.content }];
    if (/^POST \/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(route)) return [201, { id: this.nextId++, body: body?.body }];
    if ((m = /^PATCH \/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(route))) return [200, { id: Number(m[1]), body: body?.body }];
    if (/^POST \/repos\/[^/]+\/[^/]+\/deployments$/.test(route)) return [201, { id: this.nextId++, ...body }];
    if ((m = /^POST \/repos\/[^/]+\/[^/]+\/deployments\/(\d+)\/statuses$/.exec(route))) return [201, { id: this.nextId++, deployment_id: Number(m[1]), ...body }];
    if (/^POST \/repos\/[^/]+\/[^/]+\/actions\/runs\/\d+\/deployment_protection_rule$/.test(route)) return [204, undefined];
    return [404, { message: `fake GitHub does not know ${route}` }];
  }
}
