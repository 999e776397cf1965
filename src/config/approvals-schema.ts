import { z } from "zod";
import { parseDuration } from "../core/time/duration.js";
import { accessEntry, expecting, formatted } from "./schema-fields.js";

export const DEFAULT_APPROVAL_EXPIRY = "1h";
/** Shorter cannot be answered by a person; longer leaves a stale request nobody remembers asking for. */
const MIN_EXPIRY_MS = 60_000;
const MAX_EXPIRY_MS = 7 * 24 * 3_600_000;
/** More approvers than this is a committee, not a check; it is almost always a typo. */
const MAX_REQUIRED = 10;

/**
 * `approvals:` on an environment or a service's environment (docs/configuration.md, approvals):
 * how many distinct people other than the requester must approve a deploy there, who counts,
 * and how long a request waits.
 */
export const approvalsSchema = z.strictObject(
  {
    required: z
      .number(expecting(`a whole number of approvals from 1 to ${MAX_REQUIRED}`))
      .int(`expected a whole number of approvals from 1 to ${MAX_REQUIRED}`)
      .min(1, "required must be at least 1 (leave approvals out for none)")
      .max(MAX_REQUIRED, `required must be at most ${MAX_REQUIRED}`),
    from: z
      .array(accessEntry, expecting("a list of GitHub logins, @org/team, slack:U… or api:<client> entries"))
      .min(1, "from must name at least one approver; leave it out to let the environment's deployers approve")
      .optional(),
    expires: formatted("a duration like 30m or 1h", (v) => {
      const ms = parseDuration(v);
      if (ms === undefined) return `expected a duration like 30m, 1h or 1h30m, got "${v}"`;
      if (ms < MIN_EXPIRY_MS) return `"${v}" is too short: give approvers at least 1m`;
      return ms > MAX_EXPIRY_MS ? `"${v}" is too long: at most 7d, a request older than that is stale` : undefined;
    }).default(DEFAULT_APPROVAL_EXPIRY),
  },
  expecting("a mapping with required, and optionally from and expires"),
);

export type RawApprovals = z.output<typeof approvalsSchema>;
