import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { CommandRunner } from "../core/commands/command-runner.js";
import type { PeopleDirectory } from "../core/identity/people-directory.js";
import type { WhistlestopConfig } from "../core/model/config.js";
import type { Clock } from "../core/ports/clock.js";
import type { DeployWarner } from "../core/ports/deploy-warner.js";
import type { Notifier } from "../core/ports/notifier.js";
import type { DeployEvent } from "../core/ports/notifier.js";
import type { Pipeline } from "../core/ports/pipeline.js";
import type { ReminderSender } from "../core/ports/reminder-sender.js";
import type { Identity } from "../core/ports/source-control.js";
import type { Store } from "../core/ports/store.js";
import type { RequestInbox } from "./request-inbox.js";

/** A surface mounted next to the API (Probot, Bolt, pipeline events); it answers whether it handled the request. */
export type MountHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;
/** A path prefix ("/slack" matches /slack and /slack/events) or any test on the request. */
export type MountMatcher = string | ((req: IncomingMessage, url: URL) => boolean);

/** HTTP routes a surface adds to the one server, tried in order before the API routes. */
export interface HttpMount {
  readonly match: MountMatcher;
  readonly handler: MountHandler;
  /** The `route` label in metrics and logs; default "<prefix>/*". */
  readonly name?: string;
}

/** What a surface (Slack, GitHub) gets to work with: the core's front door and its read side. */
export interface SurfaceContext {
  readonly config: WhistlestopConfig;
  /** Slack user → GitHub login (`people`, then links). */
  readonly directory: PeopleDirectory;
  readonly runner: CommandRunner;
  readonly store: Store;
  readonly clock: Clock;
  /** The app's pino logger (redaction included); surfaces tag their lines with a child. */
  readonly logger: Logger;
  readonly pipeline: Pipeline;
  /** Where requests acknowledged before their work is done are kept until it is. */
  readonly inbox: RequestInbox;
  /** This replica's deploy events as they are stored (live pages); other replicas' reach it only through the store. */
  readonly events?: DeployEventFeed;
  /** Who may do what on GitHub (repo access, teams, organisations). */
  readonly identity?: Identity;
  /** Long-lived responses (event streams) register here to end when the server starts draining; returns the unregister function. */
  readonly onDrain?: (listener: () => void) => () => void;
}

/** Deploy events of this replica, one deploy's or all of them. */
export interface DeployEventFeed {
  subscribe(deployId: string, listener: (event: DeployEvent) => void): () => void;
  subscribeAll(listener: (event: DeployEvent) => void): () => void;
}

/** A surface plugs in HTTP routes and reporting; the core never knows which surfaces exist. */
export interface Surface {
  readonly name: string;
  readonly mounts?: readonly HttpMount[];
  readonly notifier?: Notifier;
  /** Where lock reminders and window announcements go (a chat surface); the first surface offering one is used. */
  readonly reminders?: ReminderSender;
  /** Where the watchdog's warnings about a running deploy are shown (its Slack thread). */
  readonly warner?: DeployWarner;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/** The app calls each factory once the core is built, and plugs in what it returns. */
export type SurfaceFactory = (context: SurfaceContext) => Surface | Promise<Surface>;
