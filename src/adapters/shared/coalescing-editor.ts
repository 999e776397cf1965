import type { Timers } from "../../ports/timers.js";

/** The timers the editor needs; tests pass a manual clock. */
export type EditorTimers = Pick<Timers, "now" | "setTimeout">;

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

interface Slot<P> {
  pending?: P;
  lastSentAt: number;
  inFlight: boolean;
  timer?: unknown;
  /** Callers waiting for the newest payload to be delivered. */
  waiters: Waiter[];
}

/**
 * Coalesces edits of one message (a Slack card, a GitHub comment): at most one edit in flight
 * and one per interval per message, always the newest payload, never out of order. Progress
 * edits are fire-and-forget (`schedule`, a failure goes to `onError` and the next edit carries
 * the newest state); `deliver` resolves once that payload (or a newer one) was sent, or rejects
 * if the send failed, so a final state can be awaited and sent again later.
 */
export class CoalescingEditor<P> {
  private readonly slots = new Map<string, Slot<P>>();

  constructor(
    private readonly send: (key: string, payload: P) => Promise<void>,
    private readonly timers: EditorTimers,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown, key: string) => void = () => {},
  ) {}

  /** Remember the newest payload; it goes out now or when the interval allows. */
  schedule(key: string, payload: P): void {
    const slot = this.slot(key);
    slot.pending = payload;
    this.pump(key, slot);
  }

  /** Like schedule, but resolves once this payload (or a newer one) is on the message. */
  deliver(key: string, payload: P): Promise<void> {
    const slot = this.slot(key);
    slot.pending = payload;
    const delivered = new Promise<void>((resolve, reject) => slot.waiters.push({ resolve, reject }));
    this.pump(key, slot);
    return delivered;
  }

  /** The message was just written another way (posted, created): the next edit waits its interval from now. */
  touch(key: string): void {
    const slot = this.slot(key);
    slot.lastSentAt = Math.max(slot.lastSentAt, this.timers.now());
    // Nothing may follow (a final state posted at once): the slot is forgotten after its interval.
    this.pump(key, slot);
  }

  /** Resolves when nothing is pending or in flight for any message (shutdown, tests). */
  async idle(): Promise<void> {
    const waits = [...this.slots.entries()]
      .filter(([, slot]) => slot.pending !== undefined || slot.inFlight)
      .map(([key, slot]) => {
        const settled = new Promise<void>((resolve) => slot.waiters.push({ resolve, reject: () => resolve() }));
        this.pump(key, slot);
        return settled;
      });
    await Promise.all(waits);
  }

  /** How many messages have edits waiting (metrics, tests). */
  get backlog(): number {
    return [...this.slots.values()].filter((s) => s.pending !== undefined).length;
  }

  /** How many messages the editor still remembers (tests: memory does not grow with every deploy). */
  get size(): number {
    return this.slots.size;
  }

  private slot(key: string): Slot<P> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { lastSentAt: Number.NEGATIVE_INFINITY, inFlight: false, waiters: [] };
      this.slots.set(key, slot);
    }
    return slot;
  }

  private pump(key: string, slot: Slot<P>): void {
    if (slot.inFlight || slot.timer !== undefined) return;
    if (slot.pending === undefined) {
      // Only idle() waiters can be left here: what they waited for has gone out.
      for (const w of slot.waiters.splice(0)) w.resolve();
      this.forgetLater(key, slot);
      return;
    }
    const wait = slot.lastSentAt + this.intervalMs - this.timers.now();
    if (wait > 0) {
      slot.timer = this.timers.setTimeout(() => {
        slot.timer = undefined;
        this.pump(key, slot);
      }, wait);
      return;
    }
    const payload = slot.pending;
    const waiters = slot.waiters.splice(0);
    slot.pending = undefined;
    slot.inFlight = true;
    slot.lastSentAt = this.timers.now();
    this.send(key, payload).then(
      () => {
        for (const w of waiters) w.resolve();
        this.settled(key, slot);
      },
      (error: unknown) => {
        if (waiters.length) for (const w of waiters) w.reject(error);
        else this.onError(error, key);
        this.settled(key, slot);
      },
    );
  }

  private settled(key: string, slot: Slot<P>): void {
    slot.inFlight = false;
    // Count the interval from the end of the call: a call that sat out a 429 is not followed at once.
    slot.lastSentAt = this.timers.now();
    this.pump(key, slot);
  }

  /** Drop a message's state once its quiet period is over, so memory does not grow with every deploy. */
  private forgetLater(key: string, slot: Slot<P>): void {
    const wait = slot.lastSentAt + this.intervalMs - this.timers.now();
    if (wait <= 0) {
      this.slots.delete(key);
      return;
    }
    slot.timer = this.timers.setTimeout(() => {
      slot.timer = undefined;
      if (slot.pending === undefined && !slot.inFlight && slot.waiters.length === 0) this.slots.delete(key);
      else this.pump(key, slot);
    }, wait);
  }
}
