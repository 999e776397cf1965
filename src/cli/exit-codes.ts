/** The CLI's exit codes; scripts and CI jobs branch on them, so they never change meaning. */
export const ExitCode = {
  /** The command was done, or the deploy succeeded (or was accepted, with --no-follow). */
  ok: 0,
  /** The deploy failed or was cancelled. */
  deployFailed: 1,
  /** Whistlestop refused the command (locked, window closed, not confirmed, …). */
  refused: 2,
  /** Bad arguments, missing token, server unreachable or an unexpected answer. */
  usageOrConnection: 3,
  /** Ctrl-C while following: the deploy goes on without the CLI. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
