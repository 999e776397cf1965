import type { CommandRunner } from "../../core/commands/command-runner.js";
import type { Actor } from "../../core/model/actor.js";
import type { WhistlestopConfig } from "../../core/model/config.js";
import type { Clock } from "../../core/ports/clock.js";
import type { Pipeline } from "../../core/ports/pipeline.js";
import type { Store } from "../../core/ports/store.js";
import type { SafeHtml } from "./html.js";
import type { SignedIn } from "./dashboard-sessions.js";

/** What the dashboard's pages read from and act through: the core's front door and its read side. */
export interface DashboardDeps {
  readonly config: WhistlestopConfig;
  readonly store: Store;
  readonly runner: Pick<CommandRunner, "runText" | "confirm" | "cancelById" | "rollbackDeploy" | "readAudit" | "getDeploy" | "listDeploys">;
  readonly clock: Clock;
  readonly pipeline: Pick<Pipeline, "executionUrl">;
  /** https://github.com or the GitHub Enterprise host: commit, PR and compare links. */
  readonly githubUrl: string;
}

/** The signed-in visitor of a page. */
export interface Viewer extends SignedIn {
  readonly actor: Actor;
}

/** Everything a page's render gets. */
export interface PageContext {
  readonly deps: DashboardDeps;
  readonly viewer: Viewer;
  readonly url: URL;
  /** Decoded `:name` segments of the page's path. */
  readonly params: Readonly<Record<string, string>>;
}

export interface PageResult {
  readonly title: string;
  readonly body: SafeHtml;
  /** The server-sent events that keep this page live; default the board-wide stream. */
  readonly stream?: string;
  /** Default 200; a page for an unknown deploy says so with 404. */
  readonly status?: number;
}

/**
 * One page of the dashboard: a path (with `:params`), an optional place in the navigation, and a
 * render that reads through `deps` and returns HTML built with `html`. A new page is a module
 * exporting one of these, listed in pages/index.ts.
 */
export interface DashboardPage {
  readonly path: string;
  readonly nav?: { readonly label: string };
  render(context: PageContext): Promise<PageResult>;
}
