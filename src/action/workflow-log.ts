/** Workflow commands (`::error::…`) need these escapes, or a message with a newline ends early. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * The job log as a runner reads it: plain lines, and workflow commands for annotations, groups
 * and masking. Plain text that starts with "::" is defused, so a server message cannot issue
 * commands of its own.
 */
export class WorkflowLog {
  constructor(private readonly write: (text: string) => void) {}

  info(line: string): void {
    // The runner trims a line before looking for "::", so only changing the colons defuses it.
    for (const part of line.split(/\r\n|\r|\n/)) this.write(`${part.replace(/^(\s*):(?=:)/, "$1: ")}\n`);
  }

  error(message: string, title?: string): void {
    this.command("error", message, title);
  }

  warning(message: string, title?: string): void {
    this.command("warning", message, title);
  }

  notice(message: string, title?: string): void {
    this.command("notice", message, title);
  }

  group(name: string): void {
    this.write(`::group::${escapeData(name)}\n`);
  }

  endGroup(): void {
    this.write("::endgroup::\n");
  }

  /** From here on the runner replaces `secret` with *** in the log. */
  mask(secret: string): void {
    if (secret !== "") this.write(`::add-mask::${escapeData(secret)}\n`);
  }

  private command(name: string, message: string, title?: string): void {
    const properties = title ? ` title=${escapeProperty(title)}` : "";
    this.write(`::${name}${properties}::${escapeData(message)}\n`);
  }
}
