/** One line of the append-only audit log: every decision, override and refusal. */
export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly surface: string;
  /** The command verb or internal action (deploy, lock, start, finish, force…). */
  readonly action: string;
  readonly service?: string;
  readonly env?: string;
  readonly deployId?: string;
  /** started, queued, refused, done, forced, … */
  readonly outcome: string;
  readonly reasonCode?: string;
  readonly message?: string;
}
