import type { Logger } from "../../core/ports/logger.js";
import { describeFailure, isNotFound, splitRepo, type GitHubRequest } from "./github-request.js";

/** Probot's `auth`: no id → the app itself (JWT); an id → that installation (token cached by Probot). */
export type AppAuth = (installationId?: number) => Promise<{ request: unknown }>;

/** The app is not installed where Whistlestop needs it: say where to install it. */
export class NotInstalledError extends Error {
  constructor(readonly where: string) {
    super(`The Whistlestop GitHub App is not installed on ${where}. Install it there (see docs/github.md), then try again.`);
    this.name = "NotInstalledError";
  }
}

/** How long "not installed" is believed before asking again (someone may be installing it right now). */
const NOT_INSTALLED_TTL_MS = 60_000;

/**
 * Installation-authenticated requests for a repository or an organization. Installation ids are
 * looked up once (GET /repos/{o}/{r}/installation, GET /orgs/{org}/installation) and cached;
 * webhooks tell us ids for free.
 */
export class InstallationClients {
  private readonly ids = new Map<string, number>();
  private readonly clients = new Map<number, Promise<GitHubRequest>>();
  private readonly missing = new Map<string, number>();

  constructor(
    private readonly auth: AppAuth,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** A webhook named the installation for this repository (and so for its owner). */
  remember(repoFullName: string, installationId: number): void {
    const { owner } = splitRepo(repoFullName);
    this.ids.set(repoKey(repoFullName), installationId);
    if (!this.ids.has(orgKey(owner))) this.ids.set(orgKey(owner), installationId);
    this.missing.delete(repoKey(repoFullName));
  }

  forRepo(repoFullName: string): Promise<GitHubRequest> {
    const { owner, repo } = splitRepo(repoFullName);
    return this.client(repoKey(repoFullName), repoFullName, "GET /repos/{owner}/{repo}/installation", { owner, repo });
  }

  forOrg(org: string): Promise<GitHubRequest> {
    return this.client(orgKey(org), `the ${org} organization`, "GET /orgs/{org}/installation", { org });
  }

  private async client(key: string, where: string, route: string, parameters: Record<string, unknown>): Promise<GitHubRequest> {
    let id = this.ids.get(key);
    if (id === undefined) {
      const missingSince = this.missing.get(key);
      if (missingSince !== undefined && this.now() - missingSince < NOT_INSTALLED_TTL_MS) throw new NotInstalledError(where);
      id = await this.lookUp(key, where, route, parameters);
    }
    return this.installation(id);
  }

  private async lookUp(key: string, where: string, route: string, parameters: Record<string, unknown>): Promise<number> {
    const app = (await this.auth()).request as GitHubRequest;
    try {
      const { data } = await app(route, parameters);
      const id = (data as { id?: unknown }).id;
      if (typeof id !== "number") throw new Error(`GitHub returned no installation id for ${where}`);
      this.ids.set(key, id);
      return id;
    } catch (error) {
      if (isNotFound(error)) {
        this.missing.set(key, this.now());
        this.logger.warn({ where }, "the GitHub App is not installed here; GitHub calls for it are skipped");
        throw new NotInstalledError(where);
      }
      throw new Error(`Could not find the GitHub App's installation on ${where} (${describeFailure(error)}).`, { cause: error });
    }
  }

  private installation(id: number): Promise<GitHubRequest> {
    let client = this.clients.get(id);
    if (!client) {
      client = this.auth(id).then((octokit) => octokit.request as GitHubRequest);
      // A failed token exchange must not be remembered.
      client.catch(() => this.clients.delete(id));
      this.clients.set(id, client);
    }
    return client;
  }
}

const repoKey = (fullName: string) => `repo:${fullName.toLowerCase()}`;
const orgKey = (org: string) => `org:${org.toLowerCase()}`;
