import type { StoreContext, StoreTransaction } from "./store-context.js";

type Work = (trx: StoreTransaction) => Promise<unknown>;

interface Pending {
  readonly work: Work;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Small independent writes (a finished request, a merge time, a deploy marked reported) issued
 * in the same turn of the event loop share one transaction: under a burst of
 * merges, one commit for dozens of them instead of one each (a commit is most of such a write's
 * cost). Each caller's promise settles once the shared transaction has committed, so what it
 * awaited is as durable as with a transaction of its own. If the shared transaction fails, each
 * write is tried again alone, so one bad write fails only its own caller.
 *
 * Only for writes that need no answer and read nothing they depend on, and that nobody is waiting
 * on to be answered: a write whose outcome decides something (claims, inserts that may conflict)
 * keeps its own transaction, and so does a command's audit entry, the last step before the command
 * answers (a shared one would add a turn of the loop to every answer).
 */
export class WriteBatch {
  private pending: Pending[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: Pick<StoreContext, "db">) {}

  add(work: Work): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ work, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  /** Writes what is pending now (the store flushes before it closes). */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        for (const { work } of batch) await work(trx);
      });
      for (const { resolve } of batch) resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const one of batch) await this.write([one]);
    }
  }
}
