import { createHash, timingSafeEqual } from "node:crypto";

/** One entry of WHISTLESTOP_API_TOKENS: the name is the actor (matched as a GitHub login in `deployers`/`admins`). */
export interface ApiToken {
  readonly name: string;
  readonly token: string;
}

/** Start-up refuses a malformed WHISTLESTOP_API_TOKENS, listing every problem. */
export class ApiTokensError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`WHISTLESTOP_API_TOKENS is invalid:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ApiTokensError";
  }
}

export const MIN_TOKEN_LENGTH = 16;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;

/**
 * Parses "name:token,name2:token2". Blank input means no tokens (the API then refuses every
 * request and says how to enable it). Problems never quote a token, only its position and name.
 */
export function parseApiTokens(text?: string): ApiToken[] {
  const entries = (text ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const problems: string[] = [];
  const tokens: ApiToken[] = [];
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const colon = entry.indexOf(":");
    if (colon < 0) return void problems.push(`${where}: expected name:token (no ":" found)`);
    const name = entry.slice(0, colon).trim();
    const token = entry.slice(colon + 1).trim();
    if (!NAME_PATTERN.test(name)) {
      return void problems.push(`${where}: the name must be 1-64 letters, digits, ".", "_" or "-" and start with a letter or digit`);
    }
    if (token.length < MIN_TOKEN_LENGTH) {
      return void problems.push(`${where} (${name}): the token must be at least ${MIN_TOKEN_LENGTH} characters; generate one with \`openssl rand -hex 32\``);
    }
    if (!TOKEN_PATTERN.test(token)) return void problems.push(`${where} (${name}): the token may not contain spaces or control characters`);
    if (tokens.some((other) => other.name === name)) return void problems.push(`${where}: the name "${name}" is used twice`);
    if (tokens.some((other) => other.token === token)) return void problems.push(`${where} (${name}): the same token is given to two names`);
    tokens.push({ name, token });
  });
  if (problems.length > 0) throw new ApiTokensError(problems);
  return tokens;
}

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/**
 * The token whose secret equals `presented`. Digests make every comparison the same length,
 * and every configured token is compared, so timing says nothing about which one was close.
 */
export function findApiToken(tokens: readonly ApiToken[], presented: string): ApiToken | undefined {
  const presentedDigest = digest(presented);
  let found: ApiToken | undefined;
  for (const candidate of tokens) {
    if (timingSafeEqual(digest(candidate.token), presentedDigest) && !found) found = candidate;
  }
  return found;
}
