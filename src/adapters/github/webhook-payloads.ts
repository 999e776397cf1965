/** The parts of GitHub's webhook payloads Whistlestop reads (the full types are far larger). */
export interface UserRef {
  readonly login: string;
  readonly type?: string;
}

export interface RepositoryRef {
  readonly full_name: string;
  readonly default_branch?: string;
}

interface InstallationRef {
  readonly installation?: { readonly id: number } | null;
}

export interface PullRequestClosedPayload extends InstallationRef {
  readonly action: string;
  readonly repository: RepositoryRef;
  readonly sender: UserRef;
  readonly pull_request: {
    readonly number: number;
    readonly merged?: boolean | null;
    readonly merge_commit_sha?: string | null;
    readonly merged_at?: string | null;
    readonly merged_by?: UserRef | null;
    readonly base: { readonly ref: string };
  };
}

export interface IssueCommentPayload extends InstallationRef {
  readonly action: string;
  readonly repository: RepositoryRef;
  readonly sender: UserRef;
  readonly issue: { readonly number: number; readonly pull_request?: unknown };
  readonly comment: { readonly id: number; readonly body?: string | null; readonly user: UserRef | null; readonly performed_via_github_app?: unknown };
}

export interface ProtectionRulePayload extends InstallationRef {
  readonly action: string;
  readonly repository: RepositoryRef;
  readonly sender?: UserRef | null;
  readonly environment?: string;
  readonly event?: string;
  readonly deployment_callback_url?: string;
  readonly deployment?: { readonly sha?: string; readonly ref?: string; readonly creator?: UserRef | null } | null;
}

/** Bots (this app included) never command Whistlestop: no loops, no automated deploys by comment. */
export function isBot(user: UserRef | null | undefined): boolean {
  return !user || user.type === "Bot" || user.login.endsWith("[bot]");
}
