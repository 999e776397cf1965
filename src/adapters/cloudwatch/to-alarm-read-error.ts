import { AlarmReadError } from "../../core/ports/alarms.js";
import { AssumeRoleError } from "../codepipeline/assume-role-error.js";

interface AwsErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $fault?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const THROTTLING = new Set(["Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "LimitExceededException"]);
const DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation"]);

/** An SDK failure of DescribeAlarms as the core's AlarmReadError, with what to do about it. */
export function toAlarmReadError(error: unknown, where: string): AlarmReadError {
  if (error instanceof AlarmReadError) return error;
  if (error instanceof AssumeRoleError) return new AlarmReadError(`${error.message} — the role in whistlestop.yml must be assumable to read alarms in ${where}`, "access_denied");
  const e = (typeof error === "object" && error !== null ? error : { message: String(error) }) as AwsErrorLike;
  const name = e.name ?? "Error";
  const detail = `${name}: ${e.message ?? name}`;
  const status = e.$metadata?.httpStatusCode;
  if (DENIED.has(name) || status === 403) return new AlarmReadError(`(${detail})`, "access_denied");
  if (THROTTLING.has(name) || status === 429) return new AlarmReadError(`CloudWatch is throttling DescribeAlarms in ${where} (${detail})`, "throttled");
  if (e.$fault === "server" || (status !== undefined && status >= 500) || name === "TimeoutError" || e.code !== undefined) {
    return new AlarmReadError(`could not reach CloudWatch in ${where} (${detail}) — check the network and AWS_ENDPOINT_URL_CLOUDWATCH`, "unavailable");
  }
  return new AlarmReadError(`DescribeAlarms in ${where} failed: ${detail}`, "failed");
}
