import type { DeployEvent, Notifier } from "../ports/notifier.js";

type Listener = (event: DeployEvent) => void;

/** In-process fan-out of deploy events to live subscribers (server-sent events, the CLI's progress). */
export class EventHub implements Notifier {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly everything = new Set<Listener>();

  /** Listen to one deploy's events; returns the function that stops listening. */
  subscribe(deployId: string, listener: Listener): () => void {
    let set = this.listeners.get(deployId);
    if (!set) this.listeners.set(deployId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(deployId);
    };
  }

  /** Listen to every deploy's events (the dashboard's board); returns the function that stops listening. */
  subscribeAll(listener: Listener): () => void {
    this.everything.add(listener);
    return () => void this.everything.delete(listener);
  }

  async notify(event: DeployEvent): Promise<void> {
    for (const listener of this.listeners.get(event.deploy.id) ?? []) listener(event);
    for (const listener of this.everything) listener(event);
  }
}
