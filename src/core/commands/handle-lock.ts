import { actorKey } from "../model/actor.js";
import { ALL, lockActive, type Lock } from "../model/lock.js";
import { resolveTarget } from "../model/resolve-target.js";
import { formatMoment } from "../policies/format-moment.js";
import { lockCommandPolicy } from "../policies/lock-command-policy.js";
import { unlockPolicy } from "../policies/unlock-policy.js";
import type { LockCommand, UnlockCommand } from "./command.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult } from "./command-result.js";
import { gatherPermissionFacts } from "./gather-permission-facts.js";
import type { RequestContext } from "./request-context.js";
import { done, refused } from "./results.js";

export async function handleLock(deps: CommandDeps, command: LockCommand, context: RequestContext): Promise<CommandResult> {
  const { store, clock, config } = deps;
  const now = clock.now();
  const target = command.service !== ALL && command.env !== ALL ? resolveTarget(config, command.service, command.env) : undefined;
  const [facts, locks] = await Promise.all([gatherPermissionFacts(deps, context.actor, target), store.listLocks(now)]);
  const decision = lockCommandPolicy({ now, config, actor: context.actor, ...facts, service: command.service, env: command.env, ...(target ? { target } : {}), locks });
  if (!decision.allowed) return refused(decision.reasonCode, decision.message);
  const lock: Lock = {
    service: command.service,
    env: command.env,
    owner: context.actor.name,
    ownerKey: actorKey(context.actor),
    createdAt: now.toISOString(),
    ...(command.reason ? { reason: command.reason } : {}),
    ...(command.until ? { expiresAt: command.until } : {}),
  };
  const taken = await store.takeLock(lock, now);
  if (taken.kind === "held") return refused("locked", `${command.service}/${command.env} was just locked by ${taken.lock.owner}. Ask them to unlock it.`);
  deps.onLocksChanged?.();
  const until = command.until ? `until ${formatMoment(new Date(command.until), config.timezone, now)}` : "until someone unlocks it";
  // The owner's own active lock on exactly this scope is extended in place, keeping its reason and since.
  const extended = locks.some((l) => l.service === lock.service && l.env === lock.env && l.ownerKey === lock.ownerKey && lockActive(l, now));
  const verb = extended || (taken.replaced && taken.replaced.ownerKey === lock.ownerKey) ? "Lock extended" : "Locked";
  const reason = taken.lock.reason ?? lock.reason;
  return done(
    `🔒 ${verb}: ${command.service}/${command.env} by ${lock.owner} ${until}${reason ? ` (${reason})` : ""}. Others' deploys are refused; \`unlock ${command.service} ${command.env}\` ends it.`,
    { locks: [taken.lock] },
  );
}

export async function handleUnlock(deps: CommandDeps, command: UnlockCommand, context: RequestContext): Promise<CommandResult> {
  const { store, clock, config } = deps;
  const now = clock.now();
  const [facts, locks] = await Promise.all([gatherPermissionFacts(deps, context.actor), store.listLocks(now)]);
  const decision = unlockPolicy({ now, config, actor: context.actor, teams: facts.teams, service: command.service, env: command.env, force: command.force, locks });
  if (!decision.allowed) return refused(decision.reasonCode, decision.message);
  const released = await store.releaseLock(command.service, command.env);
  if (!released) return refused("not_found", `${command.service}/${command.env} was already unlocked.`);
  deps.onLocksChanged?.();
  const forced = decision.forcedPast?.length ? ` (forced by admin ${context.actor.name}; it was ${released.owner}'s)` : "";
  return done(`🔓 Unlocked ${command.service}/${command.env}${forced}. Deploys may proceed.`, { locks: [] });
}
