import { createHash } from "node:crypto";
import type { IdGenerator } from "../../src/core/ports/clock.js";
import type { DeployEvent, Notifier } from "../../src/core/ports/notifier.js";
import type { Identity, RepoPermission, SourceControl } from "../../src/core/ports/source-control.js";

export class SequenceIds implements IdGenerator {
  private n = 0;
  newId(): string {
    return `d-${String(++this.n).padStart(4, "0")}`;
  }
}

export class RecordingNotifier implements Notifier {
  readonly events: DeployEvent[] = [];
  failing = false;
  async notify(event: DeployEvent): Promise<void> {
    if (this.failing) throw new Error("slack is down");
    this.events.push(event);
  }
  types(deployId?: string): string[] {
    return this.events.filter((e) => !deployId || e.deploy.id === deployId).map((e) => e.type);
  }
}

/** Refs: any 40-hex sha exists; branch names map to `refs`; default branch head is `head`. */
export class FakeSourceControl implements SourceControl {
  head = "a".repeat(40);
  refs: Record<string, string> = { main: "a".repeat(40) };
  async resolveRef(_repo: string, ref: string): Promise<string | undefined> {
    if (/^[0-9a-f]{40}$/.test(ref)) return ref;
    return this.refs[ref];
  }
  async defaultBranchHead(): Promise<string | undefined> {
    return this.head;
  }
}

/**
 * For end-to-end tests that deploy whatever ref they like: any name resolves to a stable
 * made-up sha, any full sha to itself, and the default branch is the made-up sha of `main`.
 * The sandbox itself answers from a real history (src/adapters/source-control/sandbox-history.ts).
 */
export class AnyRefSourceControl implements SourceControl {
  async resolveRef(repo: string, ref: string): Promise<string | undefined> {
    return /^[0-9a-f]{40}$/i.test(ref) ? ref.toLowerCase() : madeUpSha(`${repo}@${ref}`);
  }
  async defaultBranchHead(repo: string): Promise<string | undefined> {
    return madeUpSha(`${repo}@main`);
  }
}

const madeUpSha = (seed: string): string => createHash("sha1").update(seed).digest("hex");

export class FakeIdentity implements Identity {
  permissions: Record<string, RepoPermission> = {};
  teams: Record<string, string[]> = {};
  /** What GitHub says about logins not in `permissions`; undefined = it cannot tell (like no GitHub). */
  defaultPermission: RepoPermission | undefined = "write";
  async repoPermission(_repo: string, login: string): Promise<RepoPermission | undefined> {
    return this.permissions[login] ?? this.defaultPermission;
  }
  async isTeamMember(org: string, team: string, login: string): Promise<boolean> {
    return (this.teams[`@${org}/${team}`] ?? []).includes(login);
  }
}

export const sha = (c: string): string => c.repeat(40).slice(0, 40);
