import type { Logger } from "pino";
import type { WhistlestopConfig } from "../../core/model/config.js";
import { parseDoraQuery } from "../../core/metrics/dora-query.js";
import type { DoraReports } from "../../core/metrics/dora-report.js";
import { STORE_UNAVAILABLE_READ_MESSAGE } from "../../core/commands/store-unavailable.js";
import { authenticateBearer, type BearerAuthDeps } from "./bearer-auth.js";
import { HttpError } from "./http-error.js";
import type { HttpServer } from "./http-server.js";
import { sendJson } from "./send-json.js";

export interface DoraRoutesDeps extends BearerAuthDeps {
  readonly reports: Pick<DoraReports, "report">;
  readonly config: WhistlestopConfig;
  readonly logger: Logger;
}

const PARAMS = ["service", "env", "days"] as const;

/**
 * `GET /api/v1/metrics/dora?service=&env=&days=`: DORA metrics as JSON, for any valid API token
 * (like the deploy records they are computed from). Parameters are checked before anything is
 * read: an unknown one, one given twice, an unknown name or a period other than 7, 30 or 90 days
 * is a 400 that says what would work.
 */
export function registerDoraRoutes(server: HttpServer, deps: DoraRoutesDeps): void {
  server.route("GET", "/api/v1/metrics/dora", async ({ req, res, url }) => {
    await authenticateBearer(req, deps);
    const raw: { service?: string; env?: string; days?: string } = {};
    for (const key of new Set(url.searchParams.keys())) {
      if (!(PARAMS as readonly string[]).includes(key)) throw new HttpError(400, `Unknown parameter "${key.slice(0, 40)}". The parameters are ${PARAMS.join(", ")}.`);
      const values = url.searchParams.getAll(key);
      if (values.length > 1) throw new HttpError(400, `The parameter "${key}" is given ${values.length} times; give it once.`);
      raw[key as (typeof PARAMS)[number]] = values[0]!;
    }
    const parsed = parseDoraQuery(deps.config, raw);
    if (!parsed.ok) throw new HttpError(400, `Bad DORA query: ${parsed.message}`);
    let report;
    try {
      report = await deps.reports.report(parsed.query);
    } catch (error) {
      deps.logger.error({ err: error }, "could not read DORA facts from the store");
      throw new HttpError(503, STORE_UNAVAILABLE_READ_MESSAGE, { "Retry-After": "60" });
    }
    sendJson(res, 200, report);
  });
}
