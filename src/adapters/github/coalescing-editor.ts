import type { Timers } from "../../ports/timers.js";

/** The timers the editor needs; tests pass a manual clock. */
export type EditorTimers = Pick<Timers, "now" | "setTimeout">;

interface Slot {
  pending?: string;
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
  lastSentAt: number;
  timer?: unknown;
  sending: boolean;
}

/**
 * Edits of one comment at most once per interval, latest text wins (progress updates are
 * coalesced). `update` resolves once a send that included that text (or a newer one) finished,
 * so a final state can be awaited while intermediate ones are simply overtaken.
 */
export class CoalescingEditor {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly send: (key: string, body: string) => Promise<void>,
    private readonly intervalMs: number,
    private readonly timers: EditorTimers,
  ) {}

  /** The comment was just written some other way (created): the next edit keeps its distance. */
  markSent(key: string): void {
    this.slot(key).lastSentAt = this.timers.now();
  }

  update(key: string, body: string): Promise<void> {
    const slot = this.slot(key);
    slot.pending = body;
    const done = new Promise<void>((resolve, reject) => slot.waiters.push({ resolve, reject }));
    this.schedule(key, slot);
    return done;
  }

  /** Forget a comment that will not change again (its deploy ended and nothing is pending). */
  forget(key: string): void {
    const slot = this.slots.get(key);
    if (slot && !slot.sending && slot.timer === undefined && slot.pending === undefined) this.slots.delete(key);
  }

  private slot(key: string): Slot {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { waiters: [], lastSentAt: Number.NEGATIVE_INFINITY, sending: false };
      this.slots.set(key, slot);
    }
    return slot;
  }

  private schedule(key: string, slot: Slot): void {
    if (slot.sending || slot.timer !== undefined || slot.pending === undefined) return;
    const wait = Math.max(0, slot.lastSentAt + this.intervalMs - this.timers.now());
    slot.timer = this.timers.setTimeout(() => void this.flush(key, slot), wait);
  }

  private async flush(key: string, slot: Slot): Promise<void> {
    slot.timer = undefined;
    const body = slot.pending;
    const waiters = slot.waiters.splice(0);
    slot.pending = undefined;
    if (body === undefined) return;
    slot.sending = true;
    try {
      await this.send(key, body);
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    } finally {
      slot.sending = false;
      slot.lastSentAt = this.timers.now();
      this.schedule(key, slot);
    }
  }
}
