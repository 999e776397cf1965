import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

export const DEFAULT_SERVER = "http://127.0.0.1:3000";
export const SANDBOX_FILE = "sandbox.json";

export interface ClientSettings {
  /** Base URL of the Whistlestop server, without a trailing slash. */
  readonly server: string;
  readonly token: string;
}

export type ClientSettingsResult =
  | { readonly ok: true; readonly settings: ClientSettings }
  | { readonly ok: false; readonly message: string };

interface SandboxInfo {
  readonly url?: string;
  readonly token?: string;
  /** The sandbox's CodePipeline and CloudWatch emulator (its admin API sets alarms). */
  readonly emulatorUrl?: string;
}

/** The data directory: WHISTLESTOP_DATA_DIR, else ./data, relative to the working directory. */
export function dataDir(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  return resolve(cwd, env.WHISTLESTOP_DATA_DIR?.trim() || "data");
}

/** What `npm start` wrote for local clients; nothing when there is no sandbox (or a damaged file). */
export async function readSandboxInfo(path: string): Promise<SandboxInfo> {
  let raw: string;
  try {
    raw = await readFile(path, "utf8");
  } catch {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== "object" || parsed === null) return {};
    const { url, token, emulatorUrl } = parsed as Record<string, unknown>;
    return {
      ...(typeof url === "string" && url ? { url } : {}),
      ...(typeof token === "string" && token ? { token } : {}),
      ...(typeof emulatorUrl === "string" && emulatorUrl ? { emulatorUrl } : {}),
    };
  } catch {
    return {};
  }
}

function normalizeServer(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  url.search = "";
  url.hash = "";
  return url.href.replace(/\/+$/, "");
}

/**
 * Server and token, each from the first of: the flag, the environment (WHISTLESTOP_SERVER,
 * WHISTLESTOP_TOKEN), the sandbox's data/sandbox.json, and (server only) http://127.0.0.1:3000.
 */
export async function resolveClientSettings(
  flags: { readonly server?: string; readonly token?: string },
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<ClientSettingsResult> {
  const sandboxPath = join(dataDir(env, cwd), SANDBOX_FILE);
  const given = { server: flags.server?.trim() || env.WHISTLESTOP_SERVER?.trim(), token: flags.token?.trim() || env.WHISTLESTOP_TOKEN?.trim() };
  const sandbox = given.server && given.token ? {} : await readSandboxInfo(sandboxPath);
  const rawServer = given.server || sandbox.url || DEFAULT_SERVER;
  const server = normalizeServer(rawServer);
  if (!server) {
    return {
      ok: false,
      message: `"${rawServer}" is not a server URL. Give one like http://127.0.0.1:3000 with --server or WHISTLESTOP_SERVER.`,
    };
  }
  const token = given.token || sandbox.token;
  if (!token) {
    return {
      ok: false,
      message:
        `No API token. For the local sandbox run "npm start" in the repository (it writes the token to ${sandboxPath}); ` +
        "for a shared server set WHISTLESTOP_TOKEN (or pass --token) to a token from the server's WHISTLESTOP_API_TOKENS.",
    };
  }
  return { ok: true, settings: { server, token } };
}
