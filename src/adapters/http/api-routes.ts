import type { Logger } from "pino";
import type { CommandResult, DeployView, Outcome } from "../../core/commands/command-result.js";
import type { CommandRunner } from "../../core/commands/command-runner.js";
import type { AuditFilters } from "../../core/commands/read-audit.js";
import type { RequestContext } from "../../core/commands/request-context.js";
import { toDeployView } from "../../core/commands/deploy-view.js";
import { actorKey, apiClientName, type Actor } from "../../core/model/actor.js";
import type { Deploy } from "../../core/model/deploy.js";
import type { ApiToken } from "./api-tokens.js";
import { reasonCodeOf, storeUnavailableResult, toApiResult } from "./api-result.js";
import { STORE_UNAVAILABLE_READ_MESSAGE } from "../../core/commands/store-unavailable.js";
import { authenticateBearer, type Caller, type PersonalTokenVerifier } from "./bearer-auth.js";
import { readCommandRequest } from "./command-request.js";
import { streamDeployEvents, type DeployEventSource } from "./deploy-event-stream.js";
import { HttpError } from "./http-error.js";
import type { HttpServer } from "./http-server.js";
import { DEFAULT_BODY_LIMIT_BYTES } from "./read-body.js";
import { sendJson } from "./send-json.js";

/** What the HTTP API asks of the core: commands as text, dry runs, and the read side. */
export type ApiRunner = Pick<CommandRunner, "runText" | "check" | "readAudit" | "getDeploy" | "listDeploys">;

export interface ApiRoutesDeps {
  readonly runner: ApiRunner;
  readonly events: DeployEventSource;
  readonly apiTokens: readonly ApiToken[];
  /** Personal tokens from `/deploy token`; absent: only WHISTLESTOP_API_TOKENS are accepted. */
  readonly personalTokens?: PersonalTokenVerifier;
  readonly logger: Logger;
  readonly metrics?: { recordCommandOutcome(outcome: Outcome | "error"): void };
  /** How an event's Deploy becomes the API's view; default toDeployView. */
  readonly toView?: (deploy: Deploy) => DeployView;
  /** Default 1 MiB. */
  readonly bodyLimitBytes?: number;
  readonly stream?: { readonly heartbeatMs?: number; readonly pollMs?: number };
  readonly now?: () => Date;
}

const DEPLOY_ID = /^[a-zA-Z0-9-]{1,128}$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;
const MAX_LIST_LIMIT = 500;
const SHUTTING_DOWN = "Whistlestop is shutting down and did not take this request. Send it again in a few seconds.";

/**
 * The actor of an API request: an API client is `api:<name>` (the workflow's github.actor is shown
 * beside it, never used for permissions); a personal token acts as its owner.
 */
export function actorOfCaller(caller: Caller, githubActor?: string): Actor {
  if (caller.kind === "person") return caller.actor;
  return { surface: "api", name: apiClientName(caller.name, githubActor), apiClient: caller.name };
}

/** The HTTP API: every route needs a bearer token, from WHISTLESTOP_API_TOKENS or a personal one. */
export function registerApiRoutes(server: HttpServer, deps: ApiRoutesDeps): void {
  const limit = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const refuseWhileDraining = () => {
    if (server.draining) throw new HttpError(503, SHUTTING_DOWN, { "Retry-After": "5", Connection: "close" });
  };

  server.route("POST", "/api/v1/commands", async ({ req, res }) => {
    const caller = await authenticateBearer(req, deps);
    refuseWhileDraining();
    const request = await readCommandRequest(req, limit);
    refuseWhileDraining();
    const actor = actorOfCaller(caller, request.githubActor);
    const context: RequestContext = {
      actor,
      ...(request.idempotencyKey ? { idempotencyKey: `${actorKey(actor)}:${request.idempotencyKey}` } : {}),
    };
    let result: CommandResult;
    try {
      result = await deps.runner.runText(request.text, context);
    } catch (error) {
      deps.logger.error({ err: error, actor: actor.name }, "command failed; answered store_unavailable (fail closed)");
      deps.metrics?.recordCommandOutcome("refused");
      return sendJson(res, 503, storeUnavailableResult, { "Retry-After": "60" });
    }
    const answer = toApiResult(result);
    deps.metrics?.recordCommandOutcome(answer.outcome);
    deps.logger.info({ actor: actor.name, outcome: answer.outcome, reasonCode: answer.reasonCode, deployId: answer.deploy?.id }, "command decided");
    // A refusal is a decision (200); a runner that failed closed on its own is an outage (503).
    sendJson(res, answer.reasonCode === "store_unavailable" ? 503 : 200, answer);
  });

  // A dry run for workflows that deploy by themselves: `{"text": "deploy <service> <env> [<ref>]"}`.
  server.route("POST", "/api/v1/check", async ({ req, res }) => {
    const caller = await authenticateBearer(req, deps);
    const request = await readCommandRequest(req, limit);
    if (!deps.runner.check) throw new HttpError(404, "This server cannot check deploys; send the command to POST /api/v1/commands instead.");
    const actor = actorOfCaller(caller, request.githubActor);
    let result: CommandResult;
    try {
      result = await deps.runner.check(request.text, { actor });
    } catch (error) {
      deps.logger.error({ err: error, actor: actor.name }, "check failed; answered store_unavailable (fail closed)");
      return sendJson(res, 503, { ...storeUnavailableResult, deployable: false }, { "Retry-After": "60" });
    }
    const status = reasonCodeOf(result) === "store_unavailable" ? 503 : 200;
    sendJson(res, status, { ...toApiResult(result), deployable: result.outcome !== "refused" });
  });

  // Who did what, newest first: `?service=&env=&actor=&since=&limit=&cursor=` → {entries, next}.
  server.route("GET", "/api/v1/audit", async ({ req, res, url }) => {
    const actor = actorOfCaller(await authenticateBearer(req, deps));
    if (!deps.runner.readAudit) throw new HttpError(404, "This server does not serve the audit log.");
    const filters = auditFilters(url.searchParams);
    const answer = await readOrFail(deps, () => deps.runner.readAudit!(filters, actor));
    if (answer.kind === "forbidden") throw new HttpError(403, answer.message);
    if (answer.kind === "invalid") throw new HttpError(400, `Bad audit filter: ${answer.message}`);
    sendJson(res, 200, { entries: answer.entries, next: answer.next });
  });

  server.route("GET", "/api/v1/deploys", async ({ req, res, url }) => {
    await authenticateBearer(req, deps);
    const filter = listFilter(url.searchParams);
    const deploys = await readOrFail(deps, () => deps.runner.listDeploys(filter));
    sendJson(res, 200, { deploys });
  });

  server.route("GET", "/api/v1/deploys/:id", async ({ req, res, params }) => {
    await authenticateBearer(req, deps);
    const id = deployId(params.id);
    const deploy = await readOrFail(deps, () => deps.runner.getDeploy(id));
    if (!deploy) throw notFound(id);
    sendJson(res, 200, deploy);
  });

  server.route("GET", "/api/v1/deploys/:id/events", async ({ req, res, params }) => {
    await authenticateBearer(req, deps);
    refuseWhileDraining();
    await streamDeployEvents(res, deployId(params.id), {
      runner: deps.runner,
      events: deps.events,
      toView: deps.toView ?? ((deploy) => toDeployView(deploy)),
      onDrain: (listener) => server.onDrain(listener),
      logger: deps.logger,
      ...(deps.stream?.heartbeatMs !== undefined ? { heartbeatMs: deps.stream.heartbeatMs } : {}),
      ...(deps.stream?.pollMs !== undefined ? { pollMs: deps.stream.pollMs } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    });
  });
}

const AUDIT_FILTERS = ["service", "env", "actor", "since", "limit", "cursor"] as const;

/** Each filter at most once, none unknown (a misspelt filter would silently widen the answer). */
function auditFilters(query: URLSearchParams): AuditFilters {
  const filters: { -readonly [K in keyof AuditFilters]: string } = {};
  for (const key of new Set(query.keys())) {
    if (!(AUDIT_FILTERS as readonly string[]).includes(key)) {
      throw new HttpError(400, `Unknown audit filter "${key.slice(0, 40)}". The filters are ${AUDIT_FILTERS.join(", ")}.`);
    }
    const values = query.getAll(key);
    if (values.length > 1) throw new HttpError(400, `The audit filter "${key}" is given ${values.length} times; give it once.`);
    const value = values[0]!.trim();
    if (value !== "") filters[key as keyof AuditFilters] = value;
  }
  return filters;
}

const notFound = (id: string) =>
  new HttpError(404, `No deploy with id "${id}". List recent deploys with GET /api/v1/deploys?service=<service>&env=<env>.`);

/** An id that cannot exist is just unknown. */
function deployId(raw: string | undefined): string {
  if (raw === undefined || !DEPLOY_ID.test(raw)) {
    throw new HttpError(404, "No deploy has that id (ids are letters, digits and dashes). List recent deploys with GET /api/v1/deploys.");
  }
  return raw;
}

const STATES = ["awaiting_approval", "queued", "running", "verifying", "succeeded", "failed", "cancelled"] as const;
type ListFilter = { service?: string; env?: string; limit?: number; states?: Array<(typeof STATES)[number]> };

function listFilter(query: URLSearchParams): ListFilter {
  const filter: ListFilter = {};
  for (const key of ["service", "env"] as const) {
    const value = query.get(key)?.trim();
    if (!value) continue;
    if (!NAME.test(value)) throw new HttpError(400, `The query parameter "${key}" must be a ${key} name from whistlestop.yml.`);
    filter[key] = value;
  }
  const limit = query.get("limit")?.trim();
  if (limit) {
    const parsed = /^\d+$/.test(limit) ? Number(limit) : Number.NaN;
    if (!(parsed >= 1 && parsed <= MAX_LIST_LIMIT)) {
      throw new HttpError(400, `The query parameter "limit" must be a whole number from 1 to ${MAX_LIST_LIMIT}.`);
    }
    filter.limit = parsed;
  }
  const state = query.get("state")?.trim();
  if (state) {
    const states = state.split(",").map((s) => s.trim());
    const unknown = states.filter((s) => !(STATES as readonly string[]).includes(s));
    if (unknown.length) throw new HttpError(400, `The query parameter "state" takes ${STATES.join(", ")} (comma-separated); "${unknown[0]}" is not one.`);
    filter.states = states as ListFilter["states"];
  }
  return filter;
}

async function readOrFail<T>(deps: ApiRoutesDeps, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    deps.logger.error({ err: error }, "could not read from the store");
    throw new HttpError(503, STORE_UNAVAILABLE_READ_MESSAGE, { "Retry-After": "60" });
  }
}
