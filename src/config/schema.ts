import { z } from "zod";
import { parseDuration } from "../core/time/duration.js";
import { isValidTimeZone, parseIsoInZone } from "../core/time/zoned-time.js";
import { approvalsSchema } from "./approvals-schema.js";
import { verifySchema, verifySetting } from "./verify-schema.js";
import { didYouMean } from "./closest-match.js";
import { accessEntry, describeValue, expecting, formatted, LOGIN, slackChannel } from "./schema-fields.js";
import { cronProblem } from "./window-schedule.js";

export { describeValue } from "./schema-fields.js";

/**
 * whistlestop.yml exactly as people write it (snake_case; docs/configuration.md lists every key). Field formats are checked here;
 * checks that relate fields to each other live in cross-checks.ts.
 */

const text = (what: string) => formatted(what, (v) => (v.trim() === "" ? `expected ${what}, got an empty string` : undefined));
const flag = (what: string) => z.boolean(expecting(`true or false (${what})`));
const list = <T extends z.ZodType>(item: T, what: string) => z.array(item, expecting(what));
/** `key:` with nothing after it means "no settings", same as `{}`. */
const emptyWhenNull = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === null ? {} : value), schema);
/** An optional section written as `key:` with nothing after it falls back to its default. */
const absentWhenNull = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === null ? undefined : value), schema);

let zoneNames: readonly string[] | undefined;
function timeZoneProblem(zone: string): string | undefined {
  if (isValidTimeZone(zone)) return undefined;
  zoneNames ??= Intl.supportedValuesOf("timeZone");
  return `unknown time zone "${zone}"${didYouMean(zone, zoneNames)}; use an IANA name like America/New_York`;
}

/** An API client's name as in WHISTLESTOP_API_TOKENS. */
export const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const REPO = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/;
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
const PIPELINE_NAME = /^[A-Za-z0-9.@_-]{1,100}$/;
const PIPELINE_ARN = /^arn:aws[a-z-]*:codepipeline:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:(.+)$/;
const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

export const timeZone = formatted("an IANA time zone like America/New_York", timeZoneProblem);

const login = formatted("a GitHub login", (v) => (LOGIN.test(v) ? undefined : `"${v}" is not a GitHub login`));

const pipelineTemplate = formatted('a pipeline name template like "{service}-{env}", or a pipeline ARN', (v) => {
  const filled = v.replaceAll("{service}", "s").replaceAll("{env}", "e");
  const arn = PIPELINE_ARN.exec(filled);
  if (arn) return PIPELINE_NAME.test(arn[1]!) ? undefined : `"${v}": the name after the account in a pipeline ARN must be letters, digits, . @ - _ and the placeholders {service} and {env}`;
  if (filled.startsWith("arn:")) return `"${v}" is not a pipeline ARN like arn:aws:codepipeline:us-east-1:111122223333:{service}-{env}`;
  return PIPELINE_NAME.test(filled) ? undefined : `"${v}" cannot become a CodePipeline name (letters, digits, . @ - _ and the placeholders {service} and {env})`;
});
const urlTemplate = formatted("a URL like https://{service}.example.org", (v) =>
  /^https?:\/\/\S+$/.test(v) ? undefined : `"${v}" is not an http(s) URL like https://{service}.example.org`,
);
const awsSchema = z.strictObject(
  {
    region: formatted("an AWS region like us-east-1", (v) => (AWS_REGION.test(v) ? undefined : `"${v}" is not an AWS region like us-east-1 or eu-west-2`)).optional(),
    role_arn: formatted("an IAM role ARN like arn:aws:iam::111122223333:role/whistlestop", (v) =>
      ROLE_ARN.test(v) ? undefined : `"${v}" is not an IAM role ARN like arn:aws:iam::111122223333:role/whistlestop`,
    ).optional(),
    external_id: formatted("the external id the role's trust policy expects", (v) =>
      EXTERNAL_ID.test(v) ? undefined : `the external id must be 2 to 1224 letters, digits or + = , . @ : / - _ characters`,
    ).optional(),
  },
  expecting("a mapping with region, role_arn and external_id (each optional)"),
);

const concurrency = z.enum(["queue", "reject"]);
const rollback = z.enum(["rollback-stage", "redeploy"]);

/** Idempotency keys must outlive any redelivery of the requests they guard. */
const MIN_RETENTION_MS = 7 * 24 * 3_600_000;

export const PIPELINE_DEFAULTS = {
  pipeline: "{service}-{env}",
  source_action: "Source",
  deploy_stage: "Deploy",
  concurrency: "queue",
  rollback: "rollback-stage",
} as const;

const pipelineFields = {
  pipeline: pipelineTemplate,
  source_action: text("the name of the pipeline's source action"),
  deploy_stage: text("the name of the pipeline's deploy stage"),
  concurrency,
  rollback,
};

const defaultsSchema = z.strictObject(
  {
    pipeline: pipelineFields.pipeline.default(PIPELINE_DEFAULTS.pipeline),
    source_action: pipelineFields.source_action.default(PIPELINE_DEFAULTS.source_action),
    deploy_stage: pipelineFields.deploy_stage.default(PIPELINE_DEFAULTS.deploy_stage),
    concurrency: concurrency.default(PIPELINE_DEFAULTS.concurrency),
    rollback: rollback.default(PIPELINE_DEFAULTS.rollback),
    aws: absentWhenNull(awsSchema.optional()),
  },
  expecting("a mapping of pipeline defaults"),
);

/** A lock older than this gets a reminder to its owner, then again each period; `off` sends none. */
const lockReminder = formatted('a duration like 4h, or "off"', (v) => {
  if (v === "off") return undefined;
  const ms = parseDuration(v);
  if (ms === undefined) return `expected a duration like 4h, 90m or 1h30m, or "off", got "${v}"`;
  return ms < 60_000 ? `"${v}" is too short: a lock reminder comes at most once a minute (1m)` : undefined;
});

const environmentFields = {
  promote_from: text("the name of the environment to promote from"),
  confirm: flag("ask for confirmation"),
  deployers: list(accessEntry, "a list of GitHub logins, @org/team, slack:U… or api:<client> entries"),
  url: urlTemplate,
  enforce_in_pipeline: flag("also freeze the pipeline's deploy stage"),
  github_environment: formatted("the name of a GitHub environment", (v) =>
    v.trim() === "" || v.length > 255 ? `expected the name of a GitHub environment (1-255 characters), got ${describeValue(v)}` : undefined,
  ),
  aws: absentWhenNull(awsSchema),
  approvals: absentWhenNull(approvalsSchema),
  mention_authors: flag("mention the shipped PRs' authors in the card's thread when a deploy ends"),
  on_failure: z.enum(["rollback", "notify"], expecting('"rollback" or "notify"')),
  verify: verifySetting,
  lock_reminder: lockReminder,
  stage_timeout: formatted("a duration like 30m or 1h", (v) => {
    const ms = parseDuration(v);
    if (ms === undefined) return `expected a duration like 30m, 1h or 1h30m, got "${v}"`;
    return ms < 60_000 ? `"${v}" is too short: a stage timeout is at least 1m` : undefined;
  }),
};

const environmentSchema = z.strictObject(
  {
    promote_from: environmentFields.promote_from.optional(),
    confirm: environmentFields.confirm.default(false),
    deployers: environmentFields.deployers.default([]),
    url: environmentFields.url.optional(),
    enforce_in_pipeline: environmentFields.enforce_in_pipeline.default(false),
    github_environment: environmentFields.github_environment.optional(),
    aws: environmentFields.aws.optional(),
    approvals: environmentFields.approvals.optional(),
    mention_authors: environmentFields.mention_authors.default(false),
    on_failure: environmentFields.on_failure.default("notify"),
    verify: environmentFields.verify.optional(),
    lock_reminder: environmentFields.lock_reminder.default("4h"),
    stage_timeout: environmentFields.stage_timeout.optional(),
  },
  expecting("a mapping of environment settings (or {})"),
);

/** Per-service overrides: any environment setting or pipeline default, nothing defaulted. */
const serviceEnvironmentSchema = z.strictObject(
  Object.fromEntries(Object.entries({ ...environmentFields, ...pipelineFields }).map(([key, schema]) => [key, schema.optional()])) as {
    [K in keyof typeof environmentFields | keyof typeof pipelineFields]: z.ZodOptional<(typeof environmentFields & typeof pipelineFields)[K]>;
  },
  expecting("a mapping of settings that override the environment's"),
);

const serviceSchema = z.strictObject(
  {
    repo: formatted("the GitHub repository as owner/name", (v) => (REPO.test(v) ? undefined : `"${v}" is not a repository like owner/name`)),
    slack_channel: slackChannel.optional(),
    on_merge: list(text("an environment name"), "a list of environment names").default([]),
    stages: list(text("a stage name"), "a list of stage names").optional(),
    allow_fork_deploys: flag("let /deploy on a pull request from a fork deploy the fork's code").default(false),
    notify_prs: flag("comment on each shipped PR where it is live").default(false),
    environments: absentWhenNull(z.record(z.string(), emptyWhenNull(serviceEnvironmentSchema), expecting("a mapping of environment name → overrides")).default({})),
  },
  expecting("a mapping of service settings (repo is required)"),
);

const isoDateTime = (what: string) =>
  formatted(`an ISO 8601 date-time like ${what}`, (v) =>
    parseIsoInZone(v, "UTC") ? undefined : `"${v}" is not an ISO 8601 date-time like ${what} (an offset such as -05:00 is optional)`,
  );

const windowSchema = z.strictObject(
  {
    name: text("a name for the window"),
    kind: z.enum(["deny", "allow"]).default("deny"),
    start: isoDateTime("2026-11-03T18:00").optional(),
    end: isoDateTime("2026-11-04T06:00").optional(),
    cron: formatted('a cron expression like "0 20 * * 1-5"', (v) => cronProblem(v)).optional(),
    duration: formatted("a duration like 4h", (v) =>
      parseDuration(v) === undefined ? `expected a duration like 4h, 90m or 1h30m, got "${v}"` : undefined,
    ).optional(),
    timezone: timeZone.optional(),
    environments: list(text("an environment name"), "a list of environment names").default([]),
    services: list(text("a service name or glob"), "a list of service names or globs").default([]),
    reason: text("a reason shown to people the window stops").optional(),
    allow_rollback: flag("rollbacks pass this window").default(true),
    announce: flag("announce the window in Slack before it starts, when it starts and when it ends").default(true),
  },
  expecting("a mapping describing the window"),
);

const CLIENT_VERB_LIST = ["deploy", "rollback", "lock", "unlock", "cancel", "check", "approve", "reject"] as const;

/** An API client (a name in WHISTLESTOP_API_TOKENS): what its requests may do. */
const apiClientSchema = z.strictObject(
  {
    may: list(z.enum(CLIENT_VERB_LIST, expecting(`one of ${CLIENT_VERB_LIST.join(", ")}`)), `a list of verbs (${CLIENT_VERB_LIST.join(", ")})`),
    services: list(text("a service name or glob"), 'a list of service names or globs, e.g. ["*"]').default(["*"]),
    environments: list(text("an environment name"), "a list of environment names, e.g. [staging]"),
  },
  expecting("a mapping with may, services and environments"),
);

/** Who may open the dashboard besides the members of the organisations owning the configured repositories. */
const dashboardSchema = z.strictObject(
  {
    viewers: list(accessEntry, "a list of GitHub logins or @org/team entries").default([]),
  },
  expecting("a mapping with viewers"),
);

/** Top-level sections that are parsed whole. */
export const sectionSchemas = {
  timezone: absentWhenNull(timeZone.default("UTC")),
  defaults: absentWhenNull(defaultsSchema.prefault({})),
  people: absentWhenNull(
    z
      .record(z.string(), login, expecting("a mapping of Slack user id → GitHub login"))
      .default({})
      .superRefine((people, ctx) => {
        for (const id of Object.keys(people)) {
          if (!SLACK_USER_ID.test(id)) ctx.addIssue({ code: "custom", path: [id], message: `"${id}" is not a Slack user id (U… or W…)` });
        }
      }),
  ),
  announce_channel: absentWhenNull(slackChannel.optional()),
  admins: absentWhenNull(list(accessEntry, "a list of GitHub logins, @org/team, slack:U… or api:<client> entries").default([])),
  retention: absentWhenNull(
    formatted("a duration like 400d", (v) => {
      const ms = parseDuration(v);
      if (ms === undefined) return `expected a duration like 400d or 90d, got "${v}"`;
      return ms < MIN_RETENTION_MS ? `"${v}" is too short: keep at least 7d, so redelivered webhooks and retried clicks are still recognised` : undefined;
    }).default("400d"),
  ),
  dashboard: absentWhenNull(dashboardSchema.prefault({})),
  api_clients: absentWhenNull(
    z
      .record(z.string(), apiClientSchema, expecting("a mapping of API token name → {may, services, environments}"))
      .default({})
      .superRefine((clients, ctx) => {
        for (const name of Object.keys(clients)) {
          if (!CLIENT_NAME.test(name)) ctx.addIssue({ code: "custom", path: [name], message: `"${name}" cannot be an API token name (1-64 letters, digits, ".", "_" or "-")` });
        }
      }),
  ),
};

/** Entries of the environments and services mappings and the windows list, parsed one by one. */
export const entrySchemas = {
  environment: environmentSchema,
  service: serviceSchema,
  window: windowSchema,
};

/** The whole file in one schema: the shape of RawConfig and the list of known top-level keys. */
export const configSchema = z.strictObject({
  timezone: sectionSchemas.timezone,
  defaults: sectionSchemas.defaults,
  environments: z.record(z.string(), emptyWhenNull(entrySchemas.environment)),
  services: z.record(z.string(), entrySchemas.service),
  windows: absentWhenNull(z.array(entrySchemas.window).default([])),
  people: sectionSchemas.people,
  admins: sectionSchemas.admins,
  announce_channel: sectionSchemas.announce_channel,
  retention: sectionSchemas.retention,
  api_clients: sectionSchemas.api_clients,
  dashboard: sectionSchemas.dashboard,
});

export type RawConfig = z.output<typeof configSchema>;
export type RawWindow = RawConfig["windows"][number];
export type RawService = RawConfig["services"][string];

/** The keys each kind of mapping accepts, for "did you mean" hints on unknown keys. */
export const KNOWN_KEYS = {
  top: Object.keys(configSchema.shape),
  defaults: Object.keys(defaultsSchema.shape),
  environment: Object.keys(environmentSchema.shape),
  service: Object.keys(serviceSchema.shape),
  serviceEnvironment: Object.keys(serviceEnvironmentSchema.shape),
  window: Object.keys(windowSchema.shape),
  aws: Object.keys(awsSchema.shape),
  apiClient: Object.keys(apiClientSchema.shape),
  approvals: Object.keys(approvalsSchema.shape),
  dashboard: Object.keys(dashboardSchema.shape),
  verify: Object.keys(verifySchema.shape),
} as const;
