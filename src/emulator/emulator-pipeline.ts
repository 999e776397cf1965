import { createHash } from "node:crypto";

/** A pipeline the emulator serves. The first stage holds the source action(s). */
export interface EmulatorPipeline {
  readonly name: string;
  /** A stage without `actions` has one action named after the stage. */
  readonly stages: readonly { readonly name: string; readonly actions?: readonly string[] }[];
  /** Declared pipeline variables; default WHISTLESTOP_DEPLOY_ID and WHISTLESTOP_ACTOR. */
  readonly variables?: readonly string[];
  /** The stage whose last action outputs AMI_ID. */
  readonly bakeStage?: string;
  /** owner/name, for the source action's commit links. */
  readonly repo?: string;
  /** The account and region it lives in; unset: whatever the caller's are. */
  readonly account?: string;
  readonly region?: string;
}

export const DEFAULT_VARIABLES = ["WHISTLESTOP_DEPLOY_ID", "WHISTLESTOP_ACTOR"] as const;

export type ActionCategory = "Source" | "Build" | "Deploy" | "Test";

export interface ActionDefinition {
  readonly name: string;
  readonly category: ActionCategory;
  readonly provider: string;
  readonly runOrder: number;
  readonly outputsImage: boolean;
}

export interface StageDefinition {
  readonly name: string;
  readonly actions: readonly ActionDefinition[];
}

/** An EmulatorPipeline with every default filled in. */
export interface PipelineDefinition {
  readonly name: string;
  readonly stages: readonly StageDefinition[];
  readonly variables: readonly string[];
  readonly repo?: string;
  readonly account?: string;
  readonly region?: string;
}

const PROVIDER: Record<ActionCategory, string> = { Source: "CodeStarSourceConnection", Build: "CodeBuild", Deploy: "CodeDeploy", Test: "CodeBuild" };

function categoryOf(stageIndex: number, stageName: string): ActionCategory {
  if (stageIndex === 0) return "Source";
  if (/deploy|release|rollout/i.test(stageName)) return "Deploy";
  if (/verify|test|check/i.test(stageName)) return "Test";
  return "Build";
}

/** Fills in defaults and rejects definitions CodePipeline itself would reject. */
export function definePipeline(pipeline: EmulatorPipeline): PipelineDefinition {
  if (!/^[A-Za-z0-9.@_-]{1,100}$/.test(pipeline.name)) throw new Error(`emulator: invalid pipeline name "${pipeline.name}"`);
  if (pipeline.stages.length < 2) throw new Error(`emulator: pipeline ${pipeline.name} needs at least two stages (CodePipeline's minimum)`);
  const stages = pipeline.stages.map((stage, index): StageDefinition => {
    const names = stage.actions?.length ? stage.actions : [index === 0 ? "Source" : stage.name];
    const category = categoryOf(index, stage.name);
    return {
      name: stage.name,
      actions: names.map((name, i) => ({
        name,
        category,
        provider: PROVIDER[category],
        runOrder: i + 1,
        outputsImage: stage.name === pipeline.bakeStage && i === names.length - 1,
      })),
    };
  });
  const seen = new Set<string>();
  for (const stage of stages) {
    if (seen.has(stage.name)) throw new Error(`emulator: pipeline ${pipeline.name} has two stages named ${stage.name}`);
    seen.add(stage.name);
  }
  return {
    name: pipeline.name,
    stages,
    variables: [...(pipeline.variables ?? DEFAULT_VARIABLES)],
    repo: pipeline.repo,
    ...(pipeline.account ? { account: pipeline.account } : {}),
    ...(pipeline.region ? { region: pipeline.region } : {}),
  };
}

/** A stable fake AMI id for a commit: the same sha always bakes the same image. */
export function amiIdFor(sha: string): string {
  return "ami-" + createHash("sha256").update(sha).digest("hex").slice(0, 17);
}
