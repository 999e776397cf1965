import { PipelineError } from "../../core/ports/pipeline.js";
import { AssumeRoleError } from "./assume-role-error.js";

export interface ErrorContext {
  /** The CodePipeline operation, e.g. "StartPipelineExecution". */
  readonly operation: string;
  readonly pipelineName: string;
  readonly region: string;
  readonly executionId?: string;
  readonly stageName?: string;
  /** Where whistlestop.yml sets this pipeline's name, e.g. services.donations.environments.prod.pipeline. */
  readonly configPath?: string;
}

interface AwsErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $fault?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

const THROTTLING = new Set(["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"]);
const CONFLICT = new Set(["ConflictException", "ConcurrentModificationException", "ConcurrentPipelineExecutionsLimitExceededException"]);
const BAD_CREDENTIALS = new Set(["UnrecognizedClientException", "InvalidClientTokenId", "ExpiredTokenException", "InvalidSignatureException", "IncompleteSignature", "MissingAuthenticationToken", "SignatureDoesNotMatch"]);
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** Turns an SDK failure into a PipelineError whose message says what to do next. */
export function toPipelineError(error: unknown, ctx: ErrorContext): PipelineError {
  if (error instanceof PipelineError) return error;
  if (error instanceof AssumeRoleError) return assumeRoleFailure(error, ctx);
  const e = (typeof error === "object" && error !== null ? error : { message: String(error) }) as AwsErrorLike;
  const name = e.name ?? "Error";
  const detail = e.message ?? name;
  const status = e.$metadata?.httpStatusCode;
  const { operation, pipelineName: pipeline, region } = ctx;
  const fail = (message: string, code: string, retryable = false) => new PipelineError(message, code, retryable);

  switch (name) {
    case "PipelineNotFoundException":
      return fail(
        `pipeline ${pipeline} not found in ${region} — check ${ctx.configPath ?? "the pipeline name in whistlestop.yml (services.<service>.environments.<env>.pipeline, else defaults.pipeline)"}`,
        "pipeline_not_found",
      );
    case "PipelineExecutionNotFoundException":
      return fail(`execution ${ctx.executionId ?? "?"} of pipeline ${pipeline} not found in ${region}`, "execution_not_found");
    case "StageNotFoundException":
      return fail(`stage ${ctx.stageName ?? "?"} not found in pipeline ${pipeline} — check deploy_stage in whistlestop.yml`, "stage_not_found");
    case "UnableToRollbackStageException":
    case "PipelineExecutionOutdatedException":
      return fail(`CodePipeline cannot roll back ${pipeline} stage ${ctx.stageName ?? "?"}: ${detail} — try rollback with redeploy`, "rollback_unavailable");
    case "PipelineExecutionNotStoppableException":
      return fail(`execution ${ctx.executionId ?? "?"} of ${pipeline} has already finished and cannot be stopped`, "not_stoppable");
    case "ValidationException":
    case "InvalidClientTokenException":
      return fail(`CodePipeline rejected ${operation} for ${pipeline}: ${detail}`, "invalid_request");
    case "AccessDeniedException":
      return fail(`AWS denied codepipeline:${operation} on ${pipeline} — grant it to Whistlestop's IAM role (docs/aws.md lists the policy): ${detail}`, "access_denied");
    case "CredentialsProviderError":
      return fail(
        `no AWS credentials found (${detail}) — set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run with an IAM role`,
        "credentials_missing",
      );
  }
  if (BAD_CREDENTIALS.has(name)) {
    return fail(`AWS rejected Whistlestop's credentials for ${operation} (${name}: ${detail}) — check AWS_PROFILE / AWS_ACCESS_KEY_ID and the clock`, "credentials_invalid");
  }
  if (CONFLICT.has(name)) return fail(`CodePipeline is busy with ${pipeline} (${name}: ${detail}); try again shortly`, "conflict", true);
  const attempts = e.$metadata?.attempts ? ` after ${e.$metadata.attempts} attempts` : "";
  if (THROTTLING.has(name) || status === 429) {
    return fail(`CodePipeline is throttling ${operation} for ${pipeline} (${name}${attempts}); try again shortly`, "throttled", true);
  }
  if (e.$fault === "server" || (status !== undefined && status >= 500)) {
    return fail(`CodePipeline failed ${operation} for ${pipeline} (${name}, HTTP ${status ?? "5xx"}${attempts}); try again shortly`, "unavailable", true);
  }
  if ((e.code && NETWORK.has(e.code)) || name === "TimeoutError") {
    return fail(`could not reach CodePipeline for ${operation} (${e.code ?? name}) — check the network and AWS_ENDPOINT_URL_CODEPIPELINE`, "unavailable", true);
  }
  return fail(`${operation} for ${pipeline} failed: ${name}: ${detail}`, "aws_error");
}

/**
 * The role of this pipeline's environment could not be assumed. Access problems fail the deploy
 * with the role's name; an unreachable or throttled STS is retried like CodePipeline itself.
 */
function assumeRoleFailure(error: AssumeRoleError, ctx: ErrorContext): PipelineError {
  const inner = toPipelineError(error.cause, { ...ctx, operation: "sts:AssumeRole" });
  const cause = error.cause as { name?: string; message?: string } | undefined;
  const detail = `${cause?.name ?? "Error"}: ${cause?.message ?? String(error.cause)}`;
  if (inner.retryable) return new PipelineError(`could not assume ${error.roleArn} for ${ctx.operation} on ${ctx.pipelineName} (${detail}); trying again shortly`, "assume_role_unavailable", true);
  const externalId = error.externalIdSent ? " and expects the external id written beside role_arn" : "";
  return new PipelineError(
    `could not assume ${error.roleArn} for ${ctx.pipelineName} (${detail}) — check that the role's trust policy lets Whistlestop's own role assume it${externalId} (docs/aws.md)`,
    "assume_role_failed",
    false,
  );
}
