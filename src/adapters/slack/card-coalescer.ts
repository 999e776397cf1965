import type { Timers } from "../../ports/timers.js";

/** Slack allows about one chat.update per second per message before it answers 429. */
export const DEFAULT_CARD_UPDATE_INTERVAL_MS = 1000;

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

interface CardState<P> {
  pending?: P;
  lastSentAt: number;
  inFlight: boolean;
  timer?: unknown;
  /** Final edits waiting for the newest payload to reach Slack. */
  waiters: Waiter[];
}

/**
 * Coalesces edits of one card: at most one send per interval per card, always the newest
 * payload, and never out of order. Progress edits are fire-and-forget (`schedule`); a final edit
 * (`flush`) resolves only once the newest payload was delivered, or rejects if it could not be.
 */
export class CardCoalescer<P> {
  private readonly cards = new Map<string, CardState<P>>();

  constructor(
    private readonly send: (key: string, payload: P) => Promise<void>,
    private readonly timers: Pick<Timers, "now" | "setTimeout" | "clearTimeout">,
    private readonly intervalMs = DEFAULT_CARD_UPDATE_INTERVAL_MS,
    private readonly onError: (error: unknown, key: string) => void = () => {},
  ) {}

  /** Remember the newest payload; it goes out now or when the interval allows. */
  schedule(key: string, payload: P): void {
    const card = this.card(key);
    card.pending = payload;
    this.pump(key, card);
  }

  /** Like schedule, but resolves once this payload (or a newer one) is on the card. */
  flush(key: string, payload: P): Promise<void> {
    const card = this.card(key);
    card.pending = payload;
    const delivered = new Promise<void>((resolve, reject) => card.waiters.push({ resolve, reject }));
    this.pump(key, card);
    return delivered;
  }

  /** The card was just written another way (posted): the next edit waits its interval from now. */
  touch(key: string): void {
    const card = this.card(key);
    card.lastSentAt = Math.max(card.lastSentAt, this.timers.now());
  }

  /** Resolves when nothing is pending or in flight for any card (shutdown, tests). */
  async idle(): Promise<void> {
    const waits = [...this.cards.entries()]
      .filter(([, card]) => card.pending !== undefined || card.inFlight)
      .map(([key, card]) => {
        const settled = new Promise<void>((resolve) => card.waiters.push({ resolve, reject: () => resolve() }));
        this.pump(key, card);
        return settled;
      });
    await Promise.all(waits);
  }

  /** How many cards have edits waiting (metrics, tests). */
  get backlog(): number {
    return [...this.cards.values()].filter((c) => c.pending !== undefined).length;
  }

  private card(key: string): CardState<P> {
    let card = this.cards.get(key);
    if (!card) {
      card = { lastSentAt: Number.NEGATIVE_INFINITY, inFlight: false, waiters: [] };
      this.cards.set(key, card);
    }
    return card;
  }

  private pump(key: string, card: CardState<P>): void {
    if (card.inFlight || card.timer !== undefined) return;
    if (card.pending === undefined) {
      // Only idle() waiters can be left here: what they waited for has gone out.
      for (const w of card.waiters.splice(0)) w.resolve();
      this.forgetLater(key, card);
      return;
    }
    const wait = card.lastSentAt + this.intervalMs - this.timers.now();
    if (wait > 0) {
      card.timer = this.timers.setTimeout(() => {
        card.timer = undefined;
        this.pump(key, card);
      }, wait);
      return;
    }
    const payload = card.pending;
    const waiters = card.waiters.splice(0);
    card.pending = undefined;
    card.inFlight = true;
    card.lastSentAt = this.timers.now();
    this.send(key, payload).then(
      () => {
        for (const w of waiters) w.resolve();
        this.settled(key, card);
      },
      (error: unknown) => {
        if (waiters.length) for (const w of waiters) w.reject(error);
        else this.onError(error, key);
        this.settled(key, card);
      },
    );
  }

  private settled(key: string, card: CardState<P>): void {
    card.inFlight = false;
    // Count the interval from the end of the call: a call that sat out a 429 is not followed at once.
    card.lastSentAt = this.timers.now();
    this.pump(key, card);
  }

  /** Drop a card's state once its quiet period is over, so memory does not grow with every deploy. */
  private forgetLater(key: string, card: CardState<P>): void {
    const wait = card.lastSentAt + this.intervalMs - this.timers.now();
    if (wait <= 0) {
      this.cards.delete(key);
      return;
    }
    card.timer = this.timers.setTimeout(() => {
      card.timer = undefined;
      if (card.pending === undefined && !card.inFlight && card.waiters.length === 0) this.cards.delete(key);
      else this.pump(key, card);
    }, wait);
  }
}
