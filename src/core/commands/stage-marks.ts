import type { StageStatus } from "../model/deploy.js";

/**
 * One mark per stage state, the same on every surface that draws a deploy's stages (the Slack
 * card, the PR comment, the CLI): ✓ done, ● running, ○ waiting, ✗ failed.
 */
export const STAGE_MARK: Readonly<Record<StageStatus, string>> = {
  succeeded: "✓",
  running: "●",
  waiting: "○",
  failed: "✗",
  cancelled: "⊘",
  skipped: "–",
};
