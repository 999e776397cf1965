import type { WhistlestopConfig } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import type { StoreReader } from "../ports/store.js";
import type { ChangeSetRequest } from "./change-set-builder.js";

/** Enough succeeded deploys to step over ones that finished after a queued deploy was requested. */
const LOOK_BACK = 20;

/**
 * The release live in (service, env): the newest succeeded deploy there, or with `before` the
 * newest one that had finished by then. Undefined when nothing was ever deployed there.
 */
export async function liveRelease(store: Pick<StoreReader, "listSucceeded">, service: string, env: string, before?: string): Promise<Deploy | undefined> {
  const succeeded = await store.listSucceeded(service, env, before === undefined ? 1 : LOOK_BACK);
  if (before === undefined) return succeeded[0];
  return succeeded.find((d) => d.finishedAt !== undefined && d.finishedAt <= before);
}

/**
 * What a deploy's change set compares: the release live in its environment when it was requested
 * and the sha it puts live. A rollback lists what it takes out of the release it undoes; a
 * promotion is a deploy like any other, so it lists what the promoted sha has that the
 * environment's live release has not. Undefined for a service the configuration no longer has.
 */
export async function changeSetRequestFor(
  store: Pick<StoreReader, "listSucceeded" | "getDeploy">,
  config: WhistlestopConfig,
  deploy: Deploy,
): Promise<ChangeSetRequest | undefined> {
  const repo = config.services[deploy.service]?.repo;
  if (!repo) return undefined;
  const undone = deploy.rollbackOf ? await store.getDeploy(deploy.rollbackOf) : undefined;
  const live = undone ?? (await liveRelease(store, deploy.service, deploy.env, deploy.requestedAt));
  return {
    repo,
    sha: deploy.sha,
    direction: deploy.rollbackOf ? "takes_out" : "ships",
    ...(live && live.id !== deploy.id ? { liveSha: live.sha } : {}),
  };
}
