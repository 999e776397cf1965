import type { IncomingMessage } from "node:http";
import { findApiToken, type ApiToken } from "./api-tokens.js";
import { HttpError } from "./http-error.js";

const challenge = (error?: string) => ({
  "WWW-Authenticate": error ? `Bearer realm="whistlestop", error="${error}"` : `Bearer realm="whistlestop"`,
});

/** The name of the API token in `Authorization: Bearer …`, or a 401 saying how to get in. */
export function authenticateBearer(req: IncomingMessage, tokens: readonly ApiToken[]): string {
  if (tokens.length === 0) {
    throw new HttpError(
      401,
      "The HTTP API is off because no tokens are configured. Set WHISTLESTOP_API_TOKENS=name:token on the Whistlestop server and restart it.",
      challenge(),
    );
  }
  const header = req.headers.authorization;
  const match = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  if (!match) {
    throw new HttpError(
      401,
      "Missing bearer token. Send the header 'Authorization: Bearer <token>' with a token from WHISTLESTOP_API_TOKENS.",
      challenge(header ? "invalid_request" : undefined),
    );
  }
  const token = findApiToken(tokens, match[1]!);
  if (!token) {
    throw new HttpError(
      401,
      "The bearer token is not valid. Check the token you sent or ask the SRE team for one.",
      challenge("invalid_token"),
    );
  }
  return token.name;
}
