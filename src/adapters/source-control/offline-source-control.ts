import type { Identity, RepoPermission, SourceControl } from "../../core/ports/source-control.js";

const FULL_SHA = /^[0-9a-f]{40}$/i;

/**
 * Source control for `whistlestop start` without a GitHub App. Nothing here can check that a
 * branch, tag or short sha exists, so only a full 40-character sha passes: it names exactly one
 * commit, and the pipeline's source action fetches that commit or fails. Everything else is
 * refused with what to configure.
 */
export class OfflineSourceControl implements SourceControl {
  readonly limitation =
    "GitHub is not configured, so only a full 40-character commit sha can be deployed: set APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET to deploy branches, tags, short shas and the default branch (see docs/github.md).";

  async resolveRef(_repo: string, ref: string): Promise<string | undefined> {
    return FULL_SHA.test(ref) ? ref.toLowerCase() : undefined;
  }

  async defaultBranchHead(): Promise<string | undefined> {
    return undefined;
  }
}

/** No GitHub: nobody's repository permission or team can be looked up, so only explicit entries pass. */
export const offlineIdentity: Identity = {
  limitation: "GitHub is not configured on this Whistlestop (APP_ID, PRIVATE_KEY and WEBHOOK_SECRET), so nobody's repository access can be checked",
  repoPermission: async (): Promise<RepoPermission | undefined> => undefined,
  isTeamMember: async () => false,
};
