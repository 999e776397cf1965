import { randomUUID } from "node:crypto";
import { amiIdFor, type ActionDefinition, type PipelineDefinition } from "./emulator-pipeline.js";
import type { ActionRecord } from "./execution-record.js";

/** What a finished action reports, as the real providers (CodeStar source, CodeBuild, CodeDeploy) would. */
export function outputVariables(action: ActionDefinition, sha: string, repo: string | undefined): Record<string, string> | undefined {
  if (action.category === "Source") return { CommitId: sha, ...(repo ? { FullRepositoryName: repo } : {}) };
  if (action.outputsImage) return { AMI_ID: amiIdFor(sha) };
  return undefined;
}

export function externalExecution(pipeline: PipelineDefinition, action: ActionDefinition, sha: string, region: string): { id: string; url: string } {
  const consoleBase = `https://${region}.console.aws.amazon.com/codesuite`;
  if (action.category === "Source") {
    return { id: sha, url: pipeline.repo ? `https://github.com/${pipeline.repo}/commit/${sha}` : `${consoleBase}/settings/connections?region=${region}` };
  }
  if (action.category === "Deploy") {
    const id = "d-" + randomUUID().replaceAll("-", "").slice(0, 9).toUpperCase();
    return { id, url: `${consoleBase}/codedeploy/deployments/${id}?region=${region}` };
  }
  const project = `${pipeline.name}-${action.name}`;
  const id = `${project}:${randomUUID()}`;
  return { id, url: `${consoleBase}/codebuild/projects/${project}/build/${encodeURIComponent(id)}/?region=${region}` };
}

export function actionDetail(action: ActionRecord, definition: ActionDefinition, region: string, state: string): Record<string, unknown> & { state: string } {
  return {
    stage: action.stageName,
    action: action.actionName,
    state,
    region,
    type: { owner: "AWS", provider: definition.provider, category: definition.category, version: "1" },
    ...(state === "STARTED"
      ? {}
      : {
          "execution-result": {
            "external-execution-url": action.externalExecutionUrl,
            "external-execution-summary": action.summary ?? "",
            "external-execution-id": action.externalExecutionId,
            ...(action.errorDetails ? { "error-code": action.errorDetails.code } : {}),
          },
        }),
  };
}
