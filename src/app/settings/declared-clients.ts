import type { ApiToken } from "../../adapters/http/api-tokens.js";
import type { WhistlestopConfig } from "../../core/model/config.js";

/**
 * Every API token must belong to a client declared under `api_clients`: a token nobody scoped
 * would otherwise act with rights nobody chose. One problem per undeclared name, naming it.
 */
export function undeclaredClientProblems(config: WhistlestopConfig, tokens: readonly ApiToken[], configPath: string): string[] {
  return tokens
    .filter((token) => !Object.hasOwn(config.apiClients, token.name))
    .map(
      (token) =>
        `WHISTLESTOP_API_TOKENS names the API client "${token.name}", which ${configPath} does not declare. ` +
        `Add it under api_clients (e.g. \`${token.name}: { may: [deploy], services: ["*"], environments: [staging] }\`), or remove its token.`,
    );
}
