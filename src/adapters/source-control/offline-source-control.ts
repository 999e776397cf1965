import { createHash } from "node:crypto";
import type { Identity, RepoPermission, SourceControl } from "../../core/ports/source-control.js";

const FULL_SHA = /^[0-9a-f]{40}$/i;

/**
 * Source control when the GitHub app is not configured. In the sandbox (`synthesize`), branch
 * and tag names become stable made-up shas so `deploy donations staging` works with no network;
 * otherwise only full shas are accepted, since nothing can check a name.
 */
export class OfflineSourceControl implements SourceControl {
  constructor(private readonly options: { synthesize: boolean; now?: () => Date }) {}

  async resolveRef(repo: string, ref: string): Promise<string | undefined> {
    if (FULL_SHA.test(ref)) return ref.toLowerCase();
    return this.options.synthesize ? fakeSha(`${repo}@${ref}`) : undefined;
  }

  /** A new sandbox "commit" each hour, so repeated demo deploys of the default branch look real. */
  async defaultBranchHead(repo: string): Promise<string | undefined> {
    if (!this.options.synthesize) return undefined;
    const hour = Math.floor((this.options.now?.() ?? new Date()).getTime() / 3_600_000);
    return fakeSha(`${repo}@main@${hour}`);
  }
}

const fakeSha = (seed: string): string => createHash("sha1").update(seed).digest("hex");

/** No GitHub: nobody's repository permission or team can be looked up. */
export const offlineIdentity: Identity = {
  repoPermission: async (): Promise<RepoPermission | undefined> => undefined,
  isTeamMember: async () => false,
};
