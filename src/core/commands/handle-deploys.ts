import { lockActive, lockCovers } from "../model/lock.js";
import { holdsSlot, type Deploy } from "../model/deploy.js";
import { verificationLeft } from "../model/verification-text.js";
import { formatMoment } from "../policies/format-moment.js";
import { windowStatus } from "../policies/window-status.js";
import { windowCovers } from "../policies/window-covers.js";
import type { DeploysCommand } from "./command.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult } from "./command-result.js";
import { shortSha, toDeployView } from "./deploy-view.js";
import { done } from "./results.js";

/** Enough history to find what is live everywhere without one query per service. */
const RECENT = 1000;

/** `deploys [service] [env]`: what is live where, what runs, what waits, locks and open windows. */
export async function handleDeploys(deps: CommandDeps, command: DeploysCommand): Promise<CommandResult> {
  const { store, config, clock } = deps;
  const now = clock.now();
  const filter = { ...(command.service ? { service: command.service } : {}), ...(command.env ? { env: command.env } : {}) };
  const [active, succeeded, locks] = await Promise.all([
    store.listDeploys({ ...filter, states: ["running", "verifying", "queued", "awaiting_approval"], limit: RECENT }),
    store.listDeploys({ ...filter, states: ["succeeded"], limit: RECENT }),
    store.listLocks(now),
  ]);
  const live = new Map<string, Deploy>();
  for (const d of succeeded) if (!live.has(`${d.service}/${d.env}`)) live.set(`${d.service}/${d.env}`, d);
  const services = command.service ? [command.service] : Object.keys(config.services);
  const envs = command.env ? [command.env] : Object.keys(config.environments);
  const tz = config.timezone;
  const lines: string[] = [];
  for (const service of services) {
    for (const env of envs) {
      const key = `${service}/${env}`;
      const parts: string[] = [];
      const current = live.get(key);
      parts.push(current ? `live ${shortSha(current.sha)} (${current.actor}, ${formatMoment(new Date(current.finishedAt ?? current.requestedAt), tz, now)})` : "nothing live");
      const running = active.find((d) => d.service === service && d.env === env && holdsSlot(d.state));
      if (running?.state === "running") parts.push(`running ${shortSha(running.sha)} by ${running.actor}`);
      else if (running?.verification) parts.push(`${verificationLeft(running.verification, now)}: ${shortSha(running.sha)} by ${running.actor}`);
      const queued = active.filter((d) => d.service === service && d.env === env && d.state === "queued");
      if (queued.length) parts.push(`${queued.length} queued`);
      const awaiting = active.filter((d) => d.service === service && d.env === env && d.state === "awaiting_approval");
      for (const d of awaiting) parts.push(`awaiting approval: ${shortSha(d.sha)} by ${d.actor} (deploy ${d.id})`);
      const lock = locks.find((l) => lockActive(l, now) && lockCovers(l, service, env));
      if (lock) parts.push(`🔒 ${lock.owner}${lock.reason ? ` (${lock.reason})` : ""}`);
      const open = config.windows.filter((w) => windowCovers(w, service, env) && w.schedule.openAt(now));
      if (open.length) parts.push(`window: ${open.map((w) => w.name).join(", ")}`);
      if (command.service || command.env || current || running || queued.length || awaiting.length || lock) lines.push(`${key}: ${parts.join(" · ")}`);
    }
  }
  const views = [...active, ...live.values()].map((d) => toDeployView(d));
  const header = lines.length ? "" : "Nothing has been deployed yet.";
  return done([header, ...lines].filter(Boolean).join("\n"), { deploys: views, locks });
}

/** `windows [env]`: current and next critical windows. */
export function handleWindows(deps: CommandDeps, env?: string): CommandResult {
  const windows = windowStatus(deps.config, deps.clock.now(), env);
  const lines = windows.map((w) => `${w.open ? "●" : "○"} ${w.name} (${w.kind}, ${w.environments.length ? w.environments.join(", ") : "all envs"}): ${w.summary}${w.reason ? ` — ${w.reason}` : ""}`);
  return done(lines.length ? lines.join("\n") : `No critical windows are configured${env ? ` for ${env}` : ""}.`, {
    windows: windows.map(({ name, kind, open, start, end, reason, environments, services }) => ({
      name,
      kind,
      open,
      environments,
      services,
      ...(start ? { start } : {}),
      ...(end ? { end } : {}),
      ...(reason ? { reason } : {}),
    })),
  });
}
