import type { EditorTimers } from "../../src/adapters/github/coalescing-editor.js";

/** Timers that fire only when told: tests see exactly which delays were asked for. */
export class ManualEditorTimers implements EditorTimers {
  readonly delays: number[] = [];
  private current = 0;
  private pending: Array<{ at: number; callback: () => void }> = [];

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    this.delays.push(ms);
    this.pending.push({ at: this.current + ms, callback });
    return callback;
  }

  /** Move time to each pending timer in turn and run it, letting promises settle in between. */
  async flush(): Promise<void> {
    for (let guard = 0; guard < 100; guard++) {
      await new Promise((resolve) => setImmediate(resolve));
      const next = this.pending.sort((a, b) => a.at - b.at).shift();
      if (!next) return;
      this.current = Math.max(this.current, next.at);
      next.callback();
    }
  }
}
