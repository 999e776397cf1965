import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { EventOrigin } from "../../core/model/pipeline-location.js";
import { readBody } from "../http/read-body.js";
import { HttpError } from "../http/http-error.js";
import { sendJson } from "../http/send-json.js";

export const PIPELINE_EVENTS_PATH = "/api/pipeline-events";
/** EventBridge events are a few KiB; anything much larger is not one. */
const BODY_LIMIT = 64 * 1024;

/** The part of an EventBridge "CodePipeline … Execution State Change" event we use. */
const pipelineEvent = z.object({
  source: z.literal("aws.codepipeline"),
  account: z.string().regex(/^\d{12}$/).optional(),
  region: z.string().max(50).optional(),
  "detail-type": z.string().regex(/^CodePipeline (Pipeline|Stage|Action) Execution State Change$/),
  detail: z.object({ pipeline: z.string().min(1).max(100), "execution-id": z.string().min(1).max(200) }).passthrough(),
}).passthrough();

export interface PipelineEventsDeps {
  readonly token: string;
  /** Reconcile the deploy following this execution now; false when no deploy follows it. */
  readonly onExecutionChanged: (origin: EventOrigin, executionId: string) => Promise<boolean>;
}

/**
 * POST /api/pipeline-events: EventBridge pushes state changes; each one only triggers an
 * immediate reconcile from CodePipeline itself, so duplicates, late and out-of-order events are
 * harmless — the event's own state is never trusted.
 */
export function pipelineEventsHandler(deps: PipelineEventsDeps) {
  const expected = Buffer.from(deps.token);
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    try {
      if (req.method !== "POST") throw new HttpError(405, "Use POST for pipeline events.", { Allow: "POST" });
      const presented = Buffer.from(String(req.headers["x-whistlestop-token"] ?? ""));
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
        throw new HttpError(401, "Missing or wrong X-Whistlestop-Token header: set it to PIPELINE_EVENTS_TOKEN in the EventBridge API destination.");
      }
      if (!String(req.headers["content-type"] ?? "").includes("json")) throw new HttpError(415, "Send the EventBridge event as application/json.");
      const body = await readBody(req, BODY_LIMIT);
      let json: unknown;
      try {
        json = JSON.parse(body.toString("utf8"));
      } catch {
        throw new HttpError(400, "The body is not valid JSON; send the EventBridge event unchanged.");
      }
      const parsed = pipelineEvent.safeParse(json);
      if (!parsed.success) throw new HttpError(400, "Not a CodePipeline execution state-change event (need source aws.codepipeline and detail.pipeline, detail.execution-id).");
      const { pipeline, "execution-id": executionId } = parsed.data.detail;
      const { account, region } = parsed.data;
      const tracked = await deps.onExecutionChanged({ pipeline, ...(account ? { account } : {}), ...(region ? { region } : {}) }, executionId);
      sendJson(res, 200, tracked ? { accepted: true } : { accepted: false, reason: "no running deploy follows this execution" });
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : "Could not handle the event; EventBridge will retry.";
      sendJson(res, status, { error: message }, error instanceof HttpError ? error.headers : {});
    }
    return true;
  };
}
