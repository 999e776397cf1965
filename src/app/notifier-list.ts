import { FanOutNotifier, type Notifier } from "../core/ports/notifier.js";

/** Notifiers added after the core exists (surfaces need the core to be built first). */
export class NotifierList implements Notifier {
  private readonly inner: Notifier[] = [];
  private fanOut: FanOutNotifier;
  constructor(private readonly onError: (error: unknown, event: Parameters<Notifier["notify"]>[0]) => void) {
    this.fanOut = new FanOutNotifier(this.inner, onError);
  }
  add(notifier: Notifier): void {
    this.inner.push(notifier);
    this.fanOut = new FanOutNotifier([...this.inner], this.onError);
  }
  notify(event: Parameters<Notifier["notify"]>[0]): Promise<void> {
    return this.fanOut.notify(event);
  }
}
