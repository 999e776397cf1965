/** How one level of whistlestop.yml (defaults, an environment, a service's environment) reaches AWS. */
export interface AwsSettings {
  readonly region?: string;
  /** The IAM role to assume for this level's pipelines; its account is where they live. */
  readonly roleArn?: string;
  /** Passed with AssumeRole when the role's trust policy asks for one; only set beside roleArn. */
  readonly externalId?: string;
}

/** Where one pipeline lives and how to reach it. */
export interface PipelineLocation {
  /** The plain pipeline name, as CodePipeline's API takes it. */
  readonly name: string;
  /** Undefined: the process's own region (AWS_REGION). */
  readonly region?: string;
  /** Known from a pipeline ARN or the role's ARN. */
  readonly account?: string;
  readonly roleArn?: string;
  readonly externalId?: string;
}

const PIPELINE_ARN = /^arn:(aws[a-z-]*):codepipeline:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):([A-Za-z0-9.@_-]{1,100})$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+$/;

/** `arn:aws:codepipeline:REGION:ACCOUNT:NAME` split up; undefined for a plain name. */
export function parsePipelineArn(pipeline: string): { readonly region: string; readonly account: string; readonly name: string } | undefined {
  const match = PIPELINE_ARN.exec(pipeline);
  return match ? { region: match[2]!, account: match[3]!, name: match[4]! } : undefined;
}

/** The account a role belongs to (`arn:aws:iam::ACCOUNT:role/NAME`). */
export function roleAccount(roleArn: string): string | undefined {
  return ROLE_ARN.exec(roleArn)?.[1];
}

/**
 * The AWS settings that apply, nearest level first. The region is inherited on its own; a role
 * comes with the external id written beside it, never with another level's.
 */
export function mergeAws(levels: readonly (AwsSettings | undefined)[]): AwsSettings {
  const region = levels.find((level) => level?.region !== undefined)?.region;
  const withRole = levels.find((level) => level?.roleArn !== undefined);
  return {
    ...(region !== undefined ? { region } : {}),
    ...(withRole?.roleArn !== undefined ? { roleArn: withRole.roleArn } : {}),
    ...(withRole?.externalId !== undefined ? { externalId: withRole.externalId } : {}),
  };
}

/**
 * A pipeline (plain name or ARN) with the AWS settings that apply to it. An ARN's region and
 * account win over the settings (configuration checks make sure they agree).
 */
export function locatePipeline(pipeline: string, aws: AwsSettings): PipelineLocation {
  const arn = parsePipelineArn(pipeline);
  const region = arn?.region ?? aws.region;
  const account = arn?.account ?? (aws.roleArn ? roleAccount(aws.roleArn) : undefined);
  return {
    name: arn?.name ?? pipeline,
    ...(region !== undefined ? { region } : {}),
    ...(account !== undefined ? { account } : {}),
    ...(aws.roleArn !== undefined ? { roleArn: aws.roleArn } : {}),
    ...(aws.externalId !== undefined ? { externalId: aws.externalId } : {}),
  };
}

/** Two locations reach the same pipeline the same way. */
export function sameLocation(a: PipelineLocation, b: PipelineLocation): boolean {
  return a.name === b.name && a.region === b.region && a.account === b.account && a.roleArn === b.roleArn && a.externalId === b.externalId;
}

/** Where a pipeline event says it comes from. */
export interface EventOrigin {
  readonly pipeline: string;
  readonly region?: string;
  readonly account?: string;
}

/**
 * Whether an event is about this pipeline: the same plain name, and the same region and account
 * wherever both the event and the location know them (events are forwarded from several accounts).
 */
export function eventMatchesLocation(location: PipelineLocation, origin: EventOrigin): boolean {
  const agrees = (mine: string | undefined, theirs: string | undefined) => mine === undefined || theirs === undefined || mine === theirs;
  return location.name === origin.pipeline && agrees(location.region, origin.region) && agrees(location.account, origin.account);
}
