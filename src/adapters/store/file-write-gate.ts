/**
 * An async mutex per SQLite file, shared by every Store opened on that file in this process.
 *
 * better-sqlite3 waits for a busy database synchronously (busy_timeout blocks the thread). Two
 * connections in one process would deadlock that way: the waiter blocks the event loop, so the
 * holder can never commit. Queuing writers here first means a connection only ever waits on
 * SQLite for another process, which keeps running while we block.
 */
export class FileWriteGate {
  private static readonly byFile = new Map<string, FileWriteGate>();
  private tail: Promise<void> = Promise.resolve();

  /** The gate of `file` (an absolute, resolved path); a private gate for in-memory databases. */
  static forFile(file: string | undefined): FileWriteGate {
    if (file === undefined) return new FileWriteGate();
    let gate = FileWriteGate.byFile.get(file);
    if (!gate) {
      gate = new FileWriteGate();
      FileWriteGate.byFile.set(file, gate);
    }
    return gate;
  }

  /** Resolves when the caller holds the gate, with the function that releases it (once). */
  async acquire(): Promise<() => void> {
    let open!: () => void;
    const mine = new Promise<void>((resolve) => {
      open = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => mine);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      open();
    };
  }
}
