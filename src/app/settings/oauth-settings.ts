import type { SettingsRead } from "../../adapters/settings-read.js";

/** The GitHub App's OAuth client: linking Slack users to GitHub logins, and dashboard sign-in. */
export interface OAuthSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  /** PUBLIC_URL without a trailing slash: the callback is {publicUrl}/auth/github/callback. */
  readonly publicUrl: string;
  /** https://github.com, or GHE_PROTOCOL://GHE_HOST: /login/oauth/authorize and /login/oauth/access_token. */
  readonly webUrl: string;
  /** https://api.github.com, or GitHub Enterprise Server's /api/v3: GET /user. */
  readonly apiUrl: string;
}

export type OAuthSettingsResult = SettingsRead<OAuthSettings>;

/**
 * GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET come as a pair, and need PUBLIC_URL (where GitHub
 * sends people back); anything partial stops start-up.
 */
export function readOAuthSettings(env: NodeJS.ProcessEnv): OAuthSettingsResult {
  const clientId = env.GITHUB_CLIENT_ID?.trim();
  const clientSecret = env.GITHUB_CLIENT_SECRET?.trim();
  if (!clientId && !clientSecret) return { kind: "off" };
  const problems: string[] = [];
  if (!clientId || !clientSecret) {
    const [present, missing] = clientId ? ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"] : ["GITHUB_CLIENT_SECRET", "GITHUB_CLIENT_ID"];
    problems.push(`GitHub OAuth is half configured: ${present} is set but ${missing} is missing. Set both (the GitHub App's "Client ID" and a client secret from its settings page), or neither (see docs/github.md).`);
  }
  const publicUrl = env.PUBLIC_URL?.trim().replace(/\/+$/, "");
  if (problems.length > 0) return { kind: "invalid", problems };
  if (!publicUrl) {
    problems.push("GitHub OAuth is on (GITHUB_CLIENT_ID) but PUBLIC_URL is missing: set it to the address people's browsers reach Whistlestop at, e.g. https://whistlestop.example.org (GitHub sends them back to {PUBLIC_URL}/auth/github/callback).");
  } else if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(publicUrl)) {
    problems.push(`PUBLIC_URL must be an http(s) address without query or fragment, like https://whistlestop.example.org; got "${publicUrl.slice(0, 100)}".`);
  }
  const host = env.GHE_HOST?.trim().replace(/\/+$/, "");
  const protocol = env.GHE_PROTOCOL?.trim() || "https";
  if (problems.length > 0 || !clientId || !clientSecret || !publicUrl) return { kind: "invalid", problems };
  const webUrl = host ? `${protocol}://${host}` : "https://github.com";
  const apiUrl = host ? `${webUrl}/api/v3` : "https://api.github.com";
  return { kind: "on", settings: { clientId, clientSecret, publicUrl, webUrl, apiUrl } };
}
