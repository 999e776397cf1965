/**
 * How far Whistlestop got with the commands it acknowledged. Every slash command it works through
 * (deployed, queued or refused) leaves one audit row, so the audit table of the server's SQLite
 * file, read from this process, counts the work done after the acks.
 */
import Database from "better-sqlite3";

export interface Backlog {
  /** Commands worked through so far. */
  done(): number;
  /** Polls until `expected` commands were worked through or `timeoutMs` passed; returns the time it took, or undefined. */
  drained(expected: number, timeoutMs: number): Promise<number | undefined>;
  close(): void;
}

export function openBacklog(dbPath: string): Backlog {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  const count = db.prepare("select count(*) as n from audit");
  const done = () => (count.get() as { n: number }).n;
  return {
    done,
    async drained(expected, timeoutMs) {
      const started = performance.now();
      while (done() < expected) {
        if (performance.now() - started > timeoutMs) return undefined;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return performance.now() - started;
    },
    close: () => db.close(),
  };
}
