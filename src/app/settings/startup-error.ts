/** Start-up stops with this before anything listens or the store is opened: every problem at once. */
export class StartupError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      problems.length === 1
        ? `cannot start, nothing was started: ${problems[0]}`
        : `cannot start, nothing was started. Fix these ${problems.length} settings:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`,
    );
    this.name = "StartupError";
  }
}
