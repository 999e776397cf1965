import type { SettingsRead } from "../../adapters/settings-read.js";

/** The GitHub App's OAuth client: linking Slack users to GitHub logins, and dashboard sign-in. */
export interface OAuthSettings {
  readonly clientId: string;
  readonly clientSecret: string;
}

export type OAuthSettingsResult = SettingsRead<OAuthSettings>;

/** GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET come as a pair; one without the other stops start-up. */
export function readOAuthSettings(env: NodeJS.ProcessEnv): OAuthSettingsResult {
  const clientId = env.GITHUB_CLIENT_ID?.trim();
  const clientSecret = env.GITHUB_CLIENT_SECRET?.trim();
  if (clientId && clientSecret) return { kind: "on", settings: { clientId, clientSecret } };
  if (!clientId && !clientSecret) return { kind: "off" };
  const [present, missing] = clientId ? ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"] : ["GITHUB_CLIENT_SECRET", "GITHUB_CLIENT_ID"];
  return {
    kind: "invalid",
    problems: [`GitHub OAuth is half configured: ${present} is set but ${missing} is missing. Set both (the GitHub App's "Client ID" and a client secret from its settings page), or neither (see docs/github.md).`],
  };
}
