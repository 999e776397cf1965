/** Calls a fake keeps unanswered until the test says: what a server killed mid-call leaves behind. */
export interface HeldCalls {
  /** How many calls have been held so far. */
  count(): number;
  /** Answer every held call (and stop holding). */
  release(): void;
  /** Cut every held call's connection unanswered and unrecorded (and stop holding). */
  drop(): void;
}

interface Hold<C> {
  readonly matches: (call: C) => boolean;
  readonly waiting: Array<(outcome: "release" | "drop") => void>;
  held: number;
  active: boolean;
}

/** The holds of one fake API; `C` is whatever that fake knows of a call when it arrives. */
export class CallHolds<C> {
  private readonly holds: Array<Hold<C>> = [];

  add(matches: (call: C) => boolean): HeldCalls {
    const hold: Hold<C> = { matches, waiting: [], held: 0, active: true };
    this.holds.push(hold);
    const settle = (outcome: "release" | "drop") => {
      hold.active = false;
      for (const resume of hold.waiting.splice(0)) resume(outcome);
    };
    return { count: () => hold.held, release: () => settle("release"), drop: () => settle("drop") };
  }

  /** Waits while a hold matches the call: true to answer it, false to cut it unanswered. */
  async pass(call: C): Promise<boolean> {
    const hold = this.holds.find((h) => h.active && h.matches(call));
    if (!hold) return true;
    hold.held++;
    return (await new Promise<"release" | "drop">((resume) => hold.waiting.push(resume))) === "release";
  }
}
