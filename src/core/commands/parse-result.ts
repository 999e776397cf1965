import type { Surface } from "../model/actor.js";
import type { RefusalCode } from "../policies/decision.js";
import type { Command, Verb } from "./command.js";

/** What the parser needs to know about the world; it does no I/O. */
export interface ParseContext {
  readonly surface: Surface;
  readonly services: readonly string[];
  readonly environments: readonly string[];
  /**
   * GitHub comments: the services whose `repo` is the comment's repository. One → it is the
   * default service; several → the service must be named (error otherwise).
   */
  readonly repoServices?: readonly string[];
  /** The verb implied by the slash command (Slack `/rollback …` → "rollback"); the text may still start with a verb. */
  readonly defaultVerb?: Verb;
  /** For times without an offset (`until 18:00`, `until 2026-11-03T20:00`). */
  readonly timezone: string;
  readonly now: Date;
}

export type Reply =
  | { readonly type: "help"; readonly text: string }
  | { readonly type: "error"; readonly reasonCode: RefusalCode; readonly message: string };

/** Atlantis' shape: a command to run, a reply to send (error or help), or nothing to do. */
export type ParseResult =
  | { readonly kind: "command"; readonly command: Command }
  | { readonly kind: "reply"; readonly reply: Reply }
  | { readonly kind: "ignore" };
