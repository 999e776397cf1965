/** Thrown by a probe to stop waiting at once (a child process exited, say): waitFor rethrows it. */
export class StopWaiting extends Error {}

/**
 * The one way tests and benches wait for something outside their control (a server, a child
 * process, a report delivered in the background): polls `probe` every `intervalMs` until it
 * returns a value other than undefined, or fails after `timeoutMs` naming `what` and the
 * probe's last error. A probe that throws StopWaiting ends the wait with that error. Code on
 * injected timers never needs this: it advances FakeTime instead.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
