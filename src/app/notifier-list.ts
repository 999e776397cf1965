import type { Logger } from "../core/ports/logger.js";
import { FanOutNotifier, type Notifier } from "../core/ports/notifier.js";

/**
 * Notifiers added after the core exists (surfaces need the core to be built first). A notifier
 * that fails is logged and the others still hear the event.
 */
export class NotifierList implements Notifier {
  private readonly inner: Notifier[] = [];
  private fanOut: FanOutNotifier;
  private readonly onError: (error: unknown, event: Parameters<Notifier["notify"]>[0]) => void;

  constructor(logger: Logger, first: readonly Notifier[] = []) {
    this.onError = (error, event) => logger.warn({ err: error, deployId: event.deploy.id, type: event.type }, "a notifier failed");
    this.inner.push(...first);
    this.fanOut = new FanOutNotifier([...this.inner], this.onError);
  }
  add(notifier: Notifier): void {
    this.inner.push(notifier);
    this.fanOut = new FanOutNotifier([...this.inner], this.onError);
  }
  notify(event: Parameters<Notifier["notify"]>[0]): Promise<void> {
    return this.fanOut.notify(event);
  }
}
