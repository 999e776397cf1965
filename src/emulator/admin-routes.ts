import type { Emulator } from "./emulator.js";
import type { EmulatorPipeline } from "./emulator-pipeline.js";
import type { StageFailure } from "./fault-injector.js";
import { ALARM_STATES, type AlarmStateValue } from "./cloudwatch-emulator.js";

export interface AdminResponse {
  readonly status: number;
  readonly body: unknown;
}

type Body = Record<string, unknown>;

class BadRequest extends Error {}

function count(body: Body): number {
  const value = body.count ?? 1;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw new BadRequest("count must be a non-negative integer");
  return value;
}

function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new BadRequest(`${field} must be a string`);
  return value;
}

function rate(body: Body, field: string): number | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || value < 0 || value > 1) throw new BadRequest(`${field} must be a number between 0 and 1`);
  return value;
}

/**
 * The control surface for an emulator running in another process (benchmarks, the sandbox):
 * faults, time, counters. Everything lives under /_emulator/ so it never collides with AWS calls.
 */
export function handleAdminRequest(emulator: Emulator, method: string, path: string, body: Body): AdminResponse {
  try {
    return route(emulator, `${method} ${path.replace(/\/+$/, "")}`, body);
  } catch (error) {
    if (error instanceof BadRequest) return { status: 400, body: { error: error.message } };
    if (error instanceof Error && error.name === "PipelineNotFoundException") return { status: 404, body: { error: error.message } };
    if (error instanceof Error) return { status: 400, body: { error: error.message } };
    throw error;
  }
}

function route(emulator: Emulator, request: string, body: Body): AdminResponse {
  const ok = (payload: unknown = { ok: true }): AdminResponse => ({ status: 200, body: payload });
  const alarmPath = /^(PUT|DELETE) \/_emulator\/cloudwatch\/alarms\/([^/]+)$/.exec(request);
  if (alarmPath) return alarmRoute(emulator, alarmPath[1]!, decodeURIComponent(alarmPath[2]!), body);
  const executionsPath = /^GET \/_emulator\/pipelines\/([^/]+)\/executions$/.exec(request);
  if (executionsPath) {
    const executions = emulator.executions(decodeURIComponent(executionsPath[1]!));
    return ok(executions.map(({ cancelTimer: _timer, ...record }) => record));
  }
  switch (request) {
    case "GET /_emulator/stats":
      return ok(emulator.stats());
    case "GET /_emulator/calls":
      return ok(emulator.callRecords());
    case "GET /_emulator/sts/assume-role-calls":
      return ok(emulator.sts.assumeRoleCalls());
    case "PUT /_emulator/sts/roles":
      emulator.sts.setRoles(body.roles === undefined || body.roles === null ? undefined : (body.roles as Record<string, { externalId?: string }>));
      return ok();
    case "GET /_emulator/cloudwatch/alarms":
      return ok(emulator.cloudwatch.list());
    case "PUT /_emulator/cloudwatch/access":
      if (typeof body.denied !== "boolean") throw new BadRequest("denied must be true or false");
      emulator.cloudwatch.denied = body.denied;
      return ok();
    case "GET /_emulator/pipelines":
      return ok(emulator.pipelineDefinitions());
    case "POST /_emulator/pipelines":
      emulator.addPipeline(body as unknown as EmulatorPipeline);
      return ok();
    case "POST /_emulator/reset": {
      const what = optionalString(body, "what") ?? "all";
      if (what === "stats") emulator.resetStats();
      else if (what === "faults") emulator.clearFaults();
      else if (what === "all") emulator.reset();
      else throw new BadRequest('what must be "all", "stats" or "faults"');
      return ok();
    }
    case "POST /_emulator/faults/fail-stage": {
      const stage = optionalString(body, "stage");
      if (!stage) throw new BadRequest("stage is required");
      const times = body.times === undefined ? undefined : count({ count: body.times });
      const rule: StageFailure = {
        stage,
        pipeline: optionalString(body, "pipeline"),
        sha: optionalString(body, "sha"),
        message: optionalString(body, "message"),
        times,
      };
      emulator.failStage(rule);
      return ok();
    }
    case "POST /_emulator/faults/throttle":
      emulator.throttleNext(count(body), optionalString(body, "operation"));
      return ok();
    case "POST /_emulator/faults/error":
      emulator.failNext(count(body), optionalString(body, "operation"));
      return ok();
    case "POST /_emulator/faults/chaos": {
      const seed = body.seed;
      if (seed !== undefined && (typeof seed !== "number" || !Number.isInteger(seed))) throw new BadRequest("seed must be an integer");
      emulator.setChaos({ throttleRate: rate(body, "throttleRate"), errorRate: rate(body, "errorRate"), seed });
      return ok();
    }
    case "POST /_emulator/clock/advance": {
      const ms = body.ms;
      if (typeof ms !== "number" || ms < 0) throw new BadRequest("ms must be a non-negative number");
      emulator.advance(ms);
      return ok({ now: emulator.scheduler.now() });
    }
    case "POST /_emulator/clock/tick":
      return ok({ ran: emulator.tick(), now: emulator.scheduler.now() });
    case "PUT /_emulator/settings": {
      if (body.stepMs !== undefined) {
        if (typeof body.stepMs !== "number" || body.stepMs < 0) throw new BadRequest("stepMs must be a non-negative number");
        emulator.stepMs = body.stepMs;
      }
      if (body.events !== undefined) {
        const events = body.events as Body | null;
        const url = events ? optionalString(events, "url") : undefined;
        emulator.setEventTarget(url ? { url, token: optionalString(events!, "token") } : undefined);
      }
      return ok({ stepMs: emulator.stepMs });
    }
    default:
      return { status: 404, body: { error: `no emulator admin route ${request}` } };
  }
}

/** PUT sets an alarm's state (creating it), `{"state": "ALARM", "reason"?, "at"?}`; DELETE removes it. */
function alarmRoute(emulator: Emulator, method: string, name: string, body: Body): AdminResponse {
  if (method === "DELETE") {
    return emulator.cloudwatch.remove(name) ? { status: 200, body: { ok: true } } : { status: 404, body: { error: `no alarm named ${name}` } };
  }
  const state = optionalString(body, "state");
  if (!state || !(ALARM_STATES as readonly string[]).includes(state)) throw new BadRequest(`state must be one of ${ALARM_STATES.join(", ")}`);
  const at = optionalString(body, "at");
  const atMs = at === undefined ? undefined : Date.parse(at);
  if (atMs !== undefined && Number.isNaN(atMs)) throw new BadRequest("at must be an ISO-8601 time");
  return { status: 200, body: emulator.cloudwatch.setState(name, state as AlarmStateValue, optionalString(body, "reason"), atMs) };
}
