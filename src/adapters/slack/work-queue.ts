/**
 * Runs acknowledged Slack work a few at a time, each started from a fresh macrotask. SQLite is
 * synchronous; the store's driver hands its connection out one macrotask at a time, so pending
 * acks get in between statements, but fifty commands worked on at once would still take most of
 * those turns and hold back the acks of the requests arriving behind them. Slack shows an error
 * when an ack takes over three seconds, but waits patiently for the answer.
 */
export class WorkQueue {
  private readonly waiting: Array<() => void> = [];
  private running = 0;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly concurrency = 2) {}

  /** Resolves (or rejects) with the task's outcome once it ran. */
  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        this.running++;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.next();
          });
      });
      this.next();
    });
  }

  /** Resolves when nothing is queued or running (graceful shutdown). */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get size(): number {
    return this.running + this.waiting.length;
  }

  private next(): void {
    if (this.running === 0 && this.waiting.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    if (this.running >= this.concurrency) return;
    const start = this.waiting.shift();
    if (!start) return;
    // Reserve the slot now; start in a new macrotask so pending I/O (new requests, acks) goes first.
    this.running++;
    setImmediate(() => {
      this.running--;
      start();
    });
  }
}
