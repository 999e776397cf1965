import { apiClientName, type Actor } from "../model/actor.js";
import type { ApiClientConfig, ClientVerb, WhistlestopConfig } from "../model/config.js";
import { ALL } from "../model/lock.js";
import { allow, deny, type Decision } from "./decision.js";
import { globMatches } from "./window-covers.js";

/** Read-only verbs every API client may use, whatever its `may` says. */
const ALWAYS_ALLOWED: ReadonlySet<string> = new Set(["deploys", "windows", "help"]);
/**
 * Reads every API client may make whatever its `may` says, but only inside its services and
 * environments. Without an environment (`status`) only the service is checked here; the answer
 * then shows the environments in scope alone.
 */
const READS_IN_SCOPE: ReadonlySet<string> = new Set(["diff", "status"]);

export interface ClientRequest {
  /** The command's verb, or "check" for a dry run of a deploy; absent: only the target's scope is checked. */
  readonly verb?: string;
  /** A service name, "all", or absent when the command names none. */
  readonly service?: string;
  /** An environment name, "all", or absent (then every environment must be in scope). */
  readonly env?: string;
  /** Nothing to scope (approve names a deploy that does not exist): only the verb is checked. */
  readonly targetless?: boolean;
}

/**
 * An API client's scope from `api_clients` (verbs, service globs, environments). Outside it the
 * client gets permission_denied; actors that are not API clients are not limited here. A client
 * that is not declared (the config changed under a running token) is refused: fail closed.
 */
export function clientScopePolicy(config: WhistlestopConfig, actor: Actor, request: ClientRequest): Decision {
  if (!actor.apiClient) return allow();
  const name = apiClientName(actor.apiClient);
  const client = Object.hasOwn(config.apiClients, actor.apiClient) ? config.apiClients[actor.apiClient] : undefined;
  if (!client) {
    return deny("permission_denied", `${name} is not declared under api_clients in whistlestop.yml, so it may do nothing. Ask an admin to declare it.`);
  }
  if (request.verb !== undefined && ALWAYS_ALLOWED.has(request.verb)) return allow();
  const where = `api_clients.${actor.apiClient}`;
  const verb = request.verb ?? "act";
  const reading = request.verb !== undefined && READS_IN_SCOPE.has(request.verb);
  if (request.verb !== undefined && !reading && !client.may.includes(request.verb as ClientVerb)) {
    const may = client.may.length ? client.may.join(", ") : "nothing but reading (deploys, windows, diff, status, help)";
    return deny("permission_denied", `${name} may not ${request.verb}: ${where}.may allows ${may}. Ask an admin to add "${request.verb}" to ${where}.may in whistlestop.yml.`);
  }
  if (request.targetless) return allow();
  const services = request.service === undefined || request.service === ALL ? Object.keys(config.services) : [request.service];
  const outsideService = services.find((service) => !coversService(client, service));
  if (outsideService !== undefined) {
    return deny(
      "permission_denied",
      `${name} may not ${verb} ${request.service ?? "every service"}: ${where}.services covers ${client.services.join(", ") || "no service"}. ` +
        `Ask an admin to widen ${where}.services in whistlestop.yml, or use a client meant for ${outsideService}.`,
    );
  }
  const environments = request.env === undefined && reading ? [] : request.env === undefined || request.env === ALL ? Object.keys(config.environments) : [request.env];
  const outsideEnv = environments.find((env) => !client.environments.includes(env));
  if (outsideEnv !== undefined) {
    return deny(
      "permission_denied",
      `${name} may not ${verb} in ${request.env ?? "every environment"}: ${where}.environments is ${client.environments.join(", ") || "empty"}. ` +
        `Deploy to ${outsideEnv} from Slack or with a client scoped to it, or ask an admin to add ${outsideEnv} to ${where}.environments.`,
    );
  }
  return allow();
}

function coversService(client: ApiClientConfig, service: string): boolean {
  return client.services.some((pattern) => globMatches(pattern, service));
}
