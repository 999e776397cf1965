import { z } from "zod";
import { parseDuration } from "../core/time/duration.js";
import { describeValue, expecting, formatted } from "./schema-fields.js";

export const DEFAULT_VERIFY_FOR = "10m";
/** CloudWatch is asked at most every 30 s, so a shorter watch sees too little to decide anything. */
const MIN_FOR_MS = 60_000;
/** A deploy holds its (service, env) while it is verified: longer would block every deploy after it. */
const MAX_FOR_MS = 24 * 3_600_000;
/** One DescribeAlarms call takes at most 100 alarm names. */
const MAX_ALARMS = 100;

/** CloudWatch alarm names: 1 to 255 characters, no control characters. */
const alarmName = formatted("a CloudWatch alarm name", (v) => {
  if (v.trim() === "" || v.length > 255) return `expected a CloudWatch alarm name (1 to 255 characters), got ${describeValue(v)}`;
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  return /[\u0000-\u001f\u007f]/.test(v) ? `alarm name ${describeValue(v)} contains a control character` : undefined;
});

/**
 * `verify:` on an environment or a service's environment (docs/configuration.md, verify): the
 * CloudWatch alarms watched after a deploy's pipeline succeeded, for how long, and what an alarm
 * leads to. `verify: false` on a service's environment turns off what the environment sets.
 */
export const verifySchema = z.strictObject(
  {
    alarms: z
      .array(alarmName, expecting("a list of CloudWatch alarm names"))
      .min(1, "alarms must name at least one CloudWatch alarm (leave verify out, or write verify: false, for none)")
      .max(MAX_ALARMS, `alarms may name at most ${MAX_ALARMS} alarms (one DescribeAlarms call reads them all)`)
      .refine((names) => new Set(names).size === names.length, "alarms lists the same alarm twice"),
    for: formatted("a duration like 10m", (v) => {
      const ms = parseDuration(v);
      if (ms === undefined) return `expected a duration like 5m, 10m or 1h, got "${v}"`;
      if (ms < MIN_FOR_MS) return `"${v}" is too short: verify for at least 1m (alarms are read every 30s)`;
      return ms > MAX_FOR_MS ? `"${v}" is too long: at most 24h, the next deploy waits until verification ends` : undefined;
    }).default(DEFAULT_VERIFY_FOR),
    on_alarm: z.enum(["rollback", "notify"], expecting('"rollback" or "notify"')).default("notify"),
  },
  expecting("a mapping with alarms, and optionally for and on_alarm (or false to turn it off)"),
);

/** An environment's or a service environment's `verify`: settings, or false for none. */
export const verifySetting = z.preprocess(
  (value) => (value === null ? undefined : value),
  z.union([z.literal(false), verifySchema], expecting("a mapping with alarms, and optionally for and on_alarm (or false to turn it off)")),
);

export type RawVerify = z.output<typeof verifySchema>;
