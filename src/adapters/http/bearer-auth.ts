import type { IncomingMessage } from "node:http";
import { STORE_UNAVAILABLE_READ_MESSAGE } from "../../core/commands/store-unavailable.js";
import type { Actor } from "../../core/model/actor.js";
import { findApiToken, type ApiToken } from "./api-tokens.js";
import { HttpError } from "./http-error.js";

const challenge = (error?: string) => ({
  "WWW-Authenticate": error ? `Bearer realm="whistlestop", error="${error}"` : `Bearer realm="whistlestop"`,
});

/** What a personal token (issued by `/deploy token` in Slack) turned out to be. */
export type PersonalTokenCheck =
  | { readonly ok: true; readonly actor: Actor; readonly tokenId: string }
  | { readonly ok: false; readonly message: string };

/** Checks personal tokens against the store; undefined when they are not recognised here. */
export interface PersonalTokenVerifier {
  /** Whether `presented` has the shape of a personal token (its prefix). */
  recognises(presented: string): boolean;
  /** Throws when the store cannot be read. */
  verify(presented: string): Promise<PersonalTokenCheck>;
}

/** Who sent the request: an API client from WHISTLESTOP_API_TOKENS, or a person's token. */
export type Caller = { readonly kind: "client"; readonly name: string } | { readonly kind: "person"; readonly actor: Actor; readonly tokenId: string };

export interface BearerAuthDeps {
  readonly apiTokens: readonly ApiToken[];
  readonly personalTokens?: PersonalTokenVerifier;
}

/** The caller behind `Authorization: Bearer …`, or a 401 saying how to get in (503 when the store is down). */
export async function authenticateBearer(req: IncomingMessage, deps: BearerAuthDeps): Promise<Caller> {
  if (deps.apiTokens.length === 0 && !deps.personalTokens) {
    throw new HttpError(
      401,
      "The HTTP API is off because no tokens are configured. Set WHISTLESTOP_API_TOKENS=name:token on the Whistlestop server (and declare each name under api_clients) and restart it.",
      challenge(),
    );
  }
  const header = req.headers.authorization;
  const match = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  if (!match) {
    throw new HttpError(
      401,
      "Missing bearer token. Send the header 'Authorization: Bearer <token>' with a token from WHISTLESTOP_API_TOKENS or one from `/deploy token` in Slack.",
      challenge(header ? "invalid_request" : undefined),
    );
  }
  const presented = match[1]!;
  const client = findApiToken(deps.apiTokens, presented);
  if (client) return { kind: "client", name: client.name };
  if (deps.personalTokens?.recognises(presented)) {
    let check: PersonalTokenCheck;
    try {
      check = await deps.personalTokens.verify(presented);
    } catch {
      throw new HttpError(503, STORE_UNAVAILABLE_READ_MESSAGE, { "Retry-After": "60" });
    }
    if (check.ok) return { kind: "person", actor: check.actor, tokenId: check.tokenId };
    throw new HttpError(401, check.message, challenge("invalid_token"));
  }
  throw new HttpError(401, "The bearer token is not valid. Check the token you sent, or get a personal one with `/deploy token` in Slack.", challenge("invalid_token"));
}
