/** Latency statistics and the table the benchmarks print. */
export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index]!;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Completed requests per second over the whole run. */
  readonly perSecond: number;
}

export function summarize(latenciesMs: readonly number[], wallMs: number): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    perSecond: (sorted.length / wallMs) * 1000,
  };
}

/** Each figure of several runs' summaries, the median of that figure (for an odd count, a real run's). */
export function medianSummary(runs: readonly LatencySummary[]): LatencySummary {
  const median = (pick: (s: LatencySummary) => number) => {
    const sorted = runs.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)]!;
  };
  return { count: runs.reduce((sum, r) => sum + r.count, 0), p50: median((r) => r.p50), p99: median((r) => r.p99), max: median((r) => r.max), perSecond: median((r) => r.perSecond) };
}

/** Paired runs of Whistlestop and its floor: the median round's figures, and the median of each round's ratios. */
export interface PairedSummary {
  readonly whistlestop: LatencySummary;
  readonly floor: LatencySummary;
  /** Median over rounds of (Whistlestop ÷ floor), each round's pair measured back to back. */
  readonly ratios: { readonly p50: number; readonly p99: number; readonly perSecond: number };
}

export function pairedSummary(whistlestop: readonly LatencySummary[], floor: readonly LatencySummary[]): PairedSummary {
  const medianRatio = (pick: (s: LatencySummary) => number) => {
    const sorted = whistlestop.map((w, i) => pick(w) / pick(floor[i]!)).sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)]!;
  };
  return {
    whistlestop: medianSummary(whistlestop),
    floor: medianSummary(floor),
    ratios: { p50: medianRatio((s) => s.p50), p99: medianRatio((s) => s.p99), perSecond: medianRatio((s) => s.perSecond) },
  };
}

export const times = (value: number): string => `${value.toFixed(2)}×`;

/** Run `task` `total` times with at most `concurrency` in flight; returns each task's latency in ms. */
export async function runConcurrently(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      await task(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { latencies, wallMs: performance.now() - started };
}

export interface Row {
  readonly metric: string;
  readonly value: string;
  readonly floor?: string;
  readonly ratio?: string;
  readonly target?: string;
  readonly met?: boolean;
}

/** A Markdown table (readable in a terminal and in bench/results.md). */
export function table(rows: readonly Row[]): string {
  const header = ["metric", "whistlestop", "floor", "ratio", "target", "met"];
  const cells = rows.map((r) => [r.metric, r.value, r.floor ?? "", r.ratio ?? "", r.target ?? "", r.met === undefined ? "" : r.met ? "yes" : "NO"]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)].join("\n");
}

/** Milliseconds, or microseconds below one millisecond. */
export const ms = (v: number): string => (v < 1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(1)} ms`);
export const ratio = (value: number, floor: number): string => `${(value / floor).toFixed(2)}×`;

/** Peak resident set size of a process, from /proc (Linux): VmHWM. */
export async function peakRssMb(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Resident set size of a process now, from /proc (Linux): VmRSS. */
export async function currentRssMb(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN) / 1024;
}
