import type { DeployView } from "../core/commands/command-result.js";
import type { CliOutput } from "./cli-io.js";
import { describeChanges, isFinalView, redraw, renderFrame } from "./progress-view.js";

/** One change of a deploy as the event stream (or a poll) delivers it. */
export interface DeployUpdate {
  readonly type: string;
  readonly deploy: DeployView;
  readonly note?: string;
  readonly at?: string;
}

/** tty: one frame redrawn in place; plain: a line per change (pipes, CI); json: one JSON line per update. */
export type ProgressMode = "tty" | "plain" | "json";

export interface ProgressPrinterOptions {
  readonly out: CliOutput;
  /** Where notices go when stdout carries JSON. */
  readonly err: CliOutput;
  readonly mode: ProgressMode;
  readonly color: boolean;
  readonly now: () => Date;
  readonly tickMs: number;
}

/** Shows a deploy's progress as updates arrive; on a terminal it also ticks the spinner and clocks. */
export class ProgressPrinter {
  private last: DeployView | undefined;
  private note: string | undefined;
  private frameLines = 0;
  private frame = 0;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly options: ProgressPrinterOptions) {}

  update(update: DeployUpdate): void {
    const { mode, out } = this.options;
    if (mode === "json") {
      out.write(`${JSON.stringify(update)}\n`);
      this.last = update.deploy;
      return;
    }
    // A note belongs to the state it came with ("cancelled by alice"), not to later ones.
    if (update.note || update.deploy.state !== this.last?.state) this.note = update.note;
    if (mode === "plain") {
      for (const line of describeChanges(this.last, update.deploy, update.note)) out.write(`${line}\n`);
      this.last = update.deploy;
      return;
    }
    this.last = update.deploy;
    this.draw();
    if (isFinalView(update.deploy)) this.stop();
    else this.ticker ??= setInterval(() => this.tick(), this.options.tickMs);
  }

  /** A message about the connection, kept above the live frame. */
  notice(text: string): void {
    const { mode, out, err } = this.options;
    if (mode === "json") return void err.write(`${text}\n`);
    if (mode === "plain" || !this.last) return void out.write(`${text}\n`);
    out.write(redraw(this.frameLines, [text]));
    this.frameLines = 0;
    this.draw();
  }

  /** Stops the ticker; the last frame stays on screen. */
  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  get lastView(): DeployView | undefined {
    return this.last;
  }

  private tick(): void {
    this.frame++;
    this.draw();
  }

  private draw(): void {
    if (!this.last) return;
    const { out, color, now } = this.options;
    const lines = renderFrame(this.last, { now: now(), color, frame: this.frame }, this.note);
    out.write(redraw(this.frameLines, lines, out.columns));
    this.frameLines = lines.length;
  }
}
