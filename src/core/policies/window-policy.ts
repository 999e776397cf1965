import type { Interval, WindowConfig } from "../model/config.js";
import { allow, deny, type Decision } from "./decision.js";
import { formatMoment } from "./format-moment.js";
import type { PolicyInput } from "./policy-input.js";
import { windowCovers } from "./window-covers.js";

export type WindowFacts = Pick<PolicyInput, "now" | "config" | "target" | "action">;

interface Occurrence {
  readonly window: WindowConfig;
  readonly interval: Interval;
}

/**
 * Policy step 4 (`window_closed`). Deny wins over allow: an open deny window refuses (rollbacks pass it unless
 * allow_rollback is false); allow windows, when any cover the target, refuse while none is open.
 * `until` is when the target becomes deployable again as far as windows know.
 */
export function windowPolicy(facts: WindowFacts): Decision {
  const { now, config, target, action } = facts;
  const where = `${target.service}/${target.env}`;
  const tz = config.timezone;
  const covering = config.windows.filter((w) => windowCovers(w, target.service, target.env));

  const openDeny = openOccurrences(covering.filter((w) => w.kind === "deny" && !(action === "rollback" && w.allowRollback)), now);
  // The one ending last is the one the user has to wait for.
  const blocking = openDeny.sort((a, b) => b.interval.end.getTime() - a.interval.end.getTime())[0];
  if (blocking) {
    const { window, interval } = blocking;
    const rollbackHint = action === "deploy" && window.allowRollback ? " Rollbacks are still allowed." : "";
    return deny(
      "window_closed",
      `${where} is frozen by the window "${window.name}"${reasonText(window)} until ${formatMoment(interval.end, tz, now)}. ` +
        `Deploy after it ends, or, if you are an admin, add --force --reason "…".${rollbackHint}`,
      interval.end.toISOString(),
    );
  }

  const allowWindows = covering.filter((w) => w.kind === "allow");
  if (allowWindows.length === 0 || openOccurrences(allowWindows, now).length > 0) return allow();

  const names = allowWindows.map((w) => `"${w.name}"`).join(", ");
  const next = allowWindows
    .map((w) => ({ window: w, interval: w.schedule.nextAfter(now) }))
    .filter((o): o is Occurrence => o.interval !== null)
    .sort((a, b) => a.interval.start.getTime() - b.interval.start.getTime())[0];
  if (!next) {
    return deny(
      "window_closed",
      `${where} may only be deployed during ${names}, and none of them opens again. ` +
        `Ask an admin to update \`windows\` in whistlestop.yml, or, if you are an admin, add --force --reason "…".`,
    );
  }
  return deny(
    "window_closed",
    `${where} may only be deployed during ${names}, and none is open now; "${next.window.name}"${reasonText(next.window)} ` +
      `next opens ${formatMoment(next.interval.start, tz, now)}. Deploy then, or, if you are an admin, add --force --reason "…".`,
    next.interval.start.toISOString(),
  );
}

function openOccurrences(windows: readonly WindowConfig[], now: Date): Occurrence[] {
  return windows.flatMap((window) => {
    const interval = window.schedule.openAt(now);
    return interval ? [{ window, interval }] : [];
  });
}

const reasonText = (w: WindowConfig): string => (w.reason ? ` (${w.reason})` : "");
