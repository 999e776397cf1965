/** Where the CLI writes: process.stdout/stderr, or a fake in tests. */
export interface CliOutput {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Where the CLI reads a confirmation answer: process.stdin, or a PassThrough in tests. */
export interface CliInput {
  readonly isTTY?: boolean;
  on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  on(event: "end" | "error", listener: () => void): unknown;
  off(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  off(event: "end" | "error", listener: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Delays and limits; tests shorten them. */
export interface CliTiming {
  /** Redraw interval of the live progress view on a terminal (spinner, elapsed seconds). */
  readonly tickMs: number;
  /** Waits before each reconnect of a dropped event stream; after the last one the CLI polls. */
  readonly reconnectDelaysMs: readonly number[];
  /** Polling interval once the event stream could not be re-opened. */
  readonly pollMs: number;
  /** Polls in a row that may fail before the CLI gives up following. */
  readonly maxPollFailures: number;
  /** A stream silent for this long is treated as dropped (the server sends heartbeats every 15 s). */
  readonly idleTimeoutMs: number;
  /** Longest wait for an answer to one request. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_TIMING: CliTiming = {
  tickMs: 200,
  reconnectDelaysMs: [500, 1000, 2000, 4000],
  pollMs: 2000,
  maxPollFailures: 15,
  idleTimeoutMs: 45_000,
  requestTimeoutMs: 60_000,
};

/** Everything the CLI touches outside itself, so `runCli` runs in-process in tests. */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly stdin: CliInput;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Starts listening for Ctrl-C; the signal aborts when it is pressed. Default: never aborts. */
  readonly interruptSignal?: () => AbortSignal;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly timing?: Partial<CliTiming>;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
